using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>Style loss at one layer: Σ(G − A)² / (4·N²·M²), G and A the Gram matrices of the image and the style.</summary>
public sealed class StyleLoss : Loss
{
    private readonly Tensor _target;
    private readonly double _scale;

    /// <summary>Creates the loss from the style image's features at <paramref name="layer"/>; the Gram matrix is computed once here.</summary>
    public StyleLoss(string layer, Tensor styleFeatures, LossNormalization normalization = LossNormalization.Paper)
    {
        Layer = layer;
        (N, _) = GramMatrix.Size(styleFeatures);
        // The loss owns its target: detached from any dispose scope the caller has open (Create builds targets in one).
        using (no_grad()) using (NewDisposeScope()) _target = GramMatrix.Compute(styleFeatures.detach()).DetachFromDisposeScope();
        using var scaleScope = NewDisposeScope();
        // Target-norm mode divides by ΣA² instead of 4N²M² (deviation from the paper, see LossNormalization).
        _scale = normalization == LossNormalization.TargetNorm
            ? 1.0 / Math.Max(_target.square().sum().ToDouble(), 1e-12)
            : double.NaN;
    }

    /// <inheritdoc />
    public override string Term => "style";

    /// <inheritdoc />
    public override string Layer { get; }

    /// <summary>Channels N of the layer.</summary>
    public long N { get; }

    /// <summary>The style's Gram matrix A.</summary>
    public Tensor Target => _target;

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = features[Layer];
        var (n, m) = GramMatrix.Size(f);
        // M is the generated image's H·W: the style image may have another size, its Gram is a sum over its own positions.
        double scale = double.IsNaN(_scale) ? 1.0 / (4.0 * n * n * (double)m * m) : _scale;
        return GramMatrix.Compute(f).sub(_target).square().sum().mul(Weight * scale).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _target.Dispose();
        base.Dispose();
    }
}
