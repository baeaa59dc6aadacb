using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Gram style loss over one region (Gatys et al. 2017, spatial control): with the region's soft mask m at the layer's
/// resolution (<see cref="LayerMask"/>), Ĝ = Σₚ mₚ·fₚ·fₚᵀ / Σₚ mₚ, the Gram averaged over the region's own (soft) size, is
/// compared with the style's per-position Gram Â = A / M_s: Σ(Ĝ − Â)² / (4N²). With a mask of ones this is exactly
/// <see cref="StyleLoss"/>. Each region is normalised by its own size, so a small region pulls as hard as a large one
/// (departure from the 2017 paper, which sums the masked Grams' losses unnormalised by region size).
/// </summary>
public sealed class RegionStyleLoss : Loss
{
    // A region that vanishes at a layer (Σm below this) contributes nothing there rather than dividing by ~0.
    private const double MinimumArea = 1e-3;
    private readonly Tensor _target;
    private readonly double _scale;
    private readonly LayerMask _mask;

    /// <summary>Creates the loss from the style image's features at <paramref name="layer"/> and the region's mask (copied).</summary>
    public RegionStyleLoss(string layer, Tensor styleFeatures, Tensor mask, LossNormalization normalization = LossNormalization.Paper)
    {
        Layer = layer;
        var (n, m) = GramMatrix.Size(styleFeatures);
        N = n;
        _mask = new LayerMask(mask);
        using (no_grad()) using (NewDisposeScope()) _target = GramMatrix.Compute(styleFeatures.detach()).div(m).DetachFromDisposeScope();
        using var scaleScope = NewDisposeScope();
        // As StyleLoss: 4N²·(per-position Grams) in paper mode, the target's ΣÂ² in target-norm mode.
        _scale = normalization == LossNormalization.TargetNorm ? 1.0 / Math.Max(_target.square().sum().ToDouble(), 1e-12) : 1.0 / (4.0 * n * n);
    }

    /// <inheritdoc />
    public override string Term => "style";

    /// <inheritdoc />
    public override string Layer { get; }

    /// <summary>Channels N of the layer.</summary>
    public long N { get; }

    /// <summary>The region's mask.</summary>
    public LayerMask Mask => _mask;

    /// <summary>The style's per-position Gram matrix Â = A / M_s.</summary>
    public Tensor Target => _target;

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = features[Layer];
        var (n, m) = GramMatrix.Size(f);
        var weights = _mask.At(f.shape[^2], f.shape[^1], f);
        double area = _mask.AreaAt(f.shape[^2], f.shape[^1], f);
        if (area < MinimumArea) return f.sum().mul(0).MoveToOuterDisposeScope();
        var flat = f.reshape(n, m);
        var gram = flat.mul(weights.unsqueeze(0)).matmul(flat.t()).div(area);
        return gram.sub(_target).square().sum().mul(Weight * _scale).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _target.Dispose();
        _mask.Dispose();
        base.Dispose();
    }
}
