using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Style loss at one layer: Σ(G − A)² / (4·N²·M²), G and A the Gram matrices of the image and the style. When the style
/// image has another size (M_s positions instead of M), A is rescaled by M / M_s first: Gram matrices are sums over
/// positions, and only their per-position averages are comparable across sizes.
/// </summary>
public sealed class StyleLoss : Loss
{
    private readonly Tensor _target;
    private readonly double _scale;

    /// <summary>Creates the loss from the style image's features at <paramref name="layer"/>; the Gram matrix is computed once here.</summary>
    public StyleLoss(string layer, Tensor styleFeatures, LossNormalization normalization = LossNormalization.Paper)
    {
        Layer = layer;
        (N, StylePositions) = GramMatrix.Size(styleFeatures);
        // The loss owns its target: detached from any dispose scope the caller has open (Create builds targets in one).
        using (no_grad()) using (NewDisposeScope()) _target = GramMatrix.Compute(styleFeatures.detach()).DetachFromDisposeScope();
        using var scaleScope = NewDisposeScope();
        // Target-norm mode divides by ΣA² instead of 4N²M² (deviation from the paper, see LossNormalization).
        _scale = normalization == LossNormalization.TargetNorm
            ? 1.0 / Math.Max(_target.square().sum().ToDouble(), 1e-12)
            : double.NaN;
    }

    private StyleLoss(string layer, Tensor gram, long positions, LossNormalization normalization)
    {
        Layer = layer;
        N = gram.shape[0];
        StylePositions = positions;
        using (no_grad()) using (NewDisposeScope()) _target = gram.detach().clone().DetachFromDisposeScope();
        using var scaleScope = NewDisposeScope();
        _scale = normalization == LossNormalization.TargetNorm
            ? 1.0 / Math.Max(_target.square().sum().ToDouble(), 1e-12)
            : double.NaN;
    }

    /// <summary>
    /// Creates the loss from the style's Gram matrix F·Fᵀ at <paramref name="layer"/>, summed over
    /// <paramref name="positions"/> positions (copied): for targets computed in tiles (<see cref="TiledTargets.Grams"/>).
    /// </summary>
    public static StyleLoss FromStyleGram(string layer, Tensor gram, long positions, LossNormalization normalization = LossNormalization.Paper,
        double weight = 1.0) =>
        new(layer, gram, positions, normalization) { Weight = weight };

    /// <inheritdoc />
    public override string Term => "style";

    /// <inheritdoc />
    public override string Layer { get; }

    /// <summary>Channels N of the layer.</summary>
    public long N { get; }

    /// <summary>Positions M_s (H·W) of the style's feature map.</summary>
    public long StylePositions { get; }

    /// <summary>The style's Gram matrix A.</summary>
    public Tensor Target => _target;

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = features[Layer];
        var (_, m) = GramMatrix.Size(f);
        return FromGram(GramMatrix.Compute(f), m).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The weighted loss for an image whose Gram matrix at this layer is <paramref name="gram"/>, summed over
    /// <paramref name="positions"/> feature positions: tiled evaluation adds the tiles' Gram sums up first.
    /// </summary>
    public Tensor FromGram(Tensor gram, long positions)
    {
        using var scope = NewDisposeScope();
        long n = N, m = positions;
        // M is the generated image's H·W; a style image of another size has its Gram summed over M_s positions: compare per position.
        double ratio = (double)m / StylePositions;
        var target = ratio == 1.0 ? _target : _target.mul(ratio);
        double scale = double.IsNaN(_scale) ? 1.0 / (4.0 * n * n * (double)m * m) : _scale / (ratio * ratio);
        return gram.sub(target).square().sum().mul(Weight * scale).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _target.Dispose();
        base.Dispose();
    }
}
