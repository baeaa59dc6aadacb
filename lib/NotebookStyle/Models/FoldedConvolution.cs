using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Models;

/// <summary>
/// A convolution followed by a batch norm in evaluation mode, folded into one convolution with a bias:
/// W' = W·s and b' = β − μ·s per output channel, s = γ / √(σ² + ε) (computed in float64, kept in the weights' dtype and
/// device). The same function as the pair up to float rounding, one operation instead of two in the forward pass and
/// none for the batch norm in the backward pass. Made from the weights and running statistics as they are: it does
/// not follow later changes to them (<see cref="FeatureExtractor.PrepareForEvaluation"/> scopes its life).
/// </summary>
internal sealed class FoldedConvolution : IDisposable
{
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly long[] _stride;
    private readonly long[] _padding;

    private FoldedConvolution(Tensor weight, Tensor bias, long[] stride, long[] padding)
    {
        _weight = weight;
        _bias = bias;
        _stride = stride;
        _padding = padding;
    }

    /// <summary>Folds <paramref name="bn"/> into <paramref name="conv"/>; null when the convolution is of a kind this does not fold (groups, dilation, padding modes).</summary>
    public static FoldedConvolution? Of(Conv2d conv, BatchNorm2d bn)
    {
        if (conv.groups != 1 || conv.dilation.Any(d => d != 1) || conv.padding is null || conv.padding_mode != TorchSharp.PaddingModes.Zeros
            || bn.running_mean is null || bn.running_var is null)
            return null;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var w = conv.weight!;
        var dtype = w.dtype;
        var mean = bn.running_mean.to_type(ScalarType.Float64);
        var scale = bn.running_var.to_type(ScalarType.Float64).add(bn.eps).rsqrt();
        if (bn.weight is { } gamma) scale = scale.mul(gamma.to_type(ScalarType.Float64));
        var shift = bn.bias is { } beta ? beta.to_type(ScalarType.Float64) : zeros_like(mean);
        var weight = w.to_type(ScalarType.Float64).mul(scale.view(-1, 1, 1, 1));
        var bias = shift.sub(mean.mul(scale));
        if (conv.bias is { } convBias) bias = bias.add(convBias.to_type(ScalarType.Float64).mul(scale));
        return new FoldedConvolution(weight.to_type(dtype).contiguous().DetachFromDisposeScope(), bias.to_type(dtype).DetachFromDisposeScope(),
            [.. conv.stride], [.. conv.padding]);
    }

    /// <summary>The folded pair applied to <paramref name="x"/>.</summary>
    public Tensor Forward(Tensor x) => nn.functional.conv2d(x, _weight, _bias, strides: _stride, padding: _padding);

    /// <inheritdoc />
    public void Dispose()
    {
        _weight.Dispose();
        _bias.Dispose();
    }
}
