using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Models;

/// <summary>
/// ResNet's basic block (He et al. 2016), with torchvision's names: <c>conv1</c>, <c>bn1</c>, <c>relu</c>, <c>conv2</c>,
/// <c>bn2</c> and, when the block changes size or width, <c>downsample</c> (<c>0</c>: 1×1 conv, <c>1</c>: batch norm).
/// out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    /// <summary>Creates the block; <paramref name="stride"/> 2 halves the size (the first block of layer2…layer4).</summary>
    public BasicBlock(string name, long inChannels, long channels, long stride) : base(name)
    {
        conv1 = nn.Conv2d(inChannels, channels, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(channels);
        relu = nn.ReLU();
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(channels);
        if (stride != 1 || inChannels != channels)
            downsample = nn.Sequential(("0", nn.Conv2d(inChannels, channels, 1, stride: stride, bias: false)), ("1", nn.BatchNorm2d(channels)));
        RegisterComponents();
    }

    // The batch norms folded into their convolutions while the network is prepared for evaluation (null otherwise).
    private FoldedConvolution? _folded1, _folded2, _foldedDown;

    /// <summary>Whether the block has a projection shortcut.</summary>
    public bool HasDownsample => downsample is not null;

    /// <summary>
    /// Whether the forward pass runs with each batch norm folded into the convolution before it (while the ResNet is
    /// prepared for evaluation with <see cref="ResNet.FoldBatchNorm"/> on, in evaluation mode).
    /// </summary>
    public bool Folded => _folded1 is not null && !training;

    /// <summary>Folds each batch norm into its convolution, from the weights and statistics as they are now.</summary>
    internal void Fold()
    {
        Unfold();
        var down = downsample?.children().ToList();
        _folded1 = FoldedConvolution.Of(conv1, bn1);
        _folded2 = FoldedConvolution.Of(conv2, bn2);
        _foldedDown = down is [Conv2d dc, BatchNorm2d db] ? FoldedConvolution.Of(dc, db) : null;
        if (_folded1 is null || _folded2 is null || (downsample is not null && _foldedDown is null)) Unfold(); // all or nothing
    }

    /// <summary>Drops the folded convolutions: the block runs layer by layer again.</summary>
    internal void Unfold()
    {
        _folded1?.Dispose();
        _folded2?.Dispose();
        _foldedDown?.Dispose();
        _folded1 = _folded2 = _foldedDown = null;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (Folded)
        {
            // conv+bn as one convolution; ReLU and the residual add in place on the convolutions' own outputs (nothing
            // saved for the backward pass reads them before they change: a convolution keeps its input, not its output).
            var hidden = _folded1!.Forward(x).relu_();
            var sum = _folded2!.Forward(hidden).add_(_foldedDown is null ? x : _foldedDown.Forward(x));
            return sum.relu_().MoveToOuterDisposeScope();
        }
        var main = bn2.call(conv2.call(relu.call(bn1.call(conv1.call(x)))));
        var shortcut = downsample is null ? x : downsample.call(x);
        return relu.call(main.add(shortcut)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Unfold();
        base.Dispose(disposing);
    }
}
