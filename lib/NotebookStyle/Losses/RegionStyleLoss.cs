using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Gram style loss over one region (Gatys et al. 2017, spatial control): with the region's soft mask m at the layer's
/// resolution (<see cref="LayerMask"/>), Ĝ = Σₚ mₚ·fₚ·fₚᵀ / Σₚ mₚ, the Gram averaged over the region's own (soft) size, is
/// compared with the style's per-position Gram Â = A / M_s: Σ(Ĝ − Â)² / (4N²). With a mask of ones this is exactly
/// <see cref="StyleLoss"/>. Each region is normalised by its own size, so a small region pulls as hard as a large one
/// (departure from the 2017 paper, which sums the masked Grams' losses unnormalised by region size). The masked Gram runs
/// over the mask's support only (<see cref="LayerMask.Support"/>), so a map of several regions costs about one Gram matrix
/// per layer in all, not one per region over the whole image. A blend in a region is one loss, as <see cref="StyleLoss"/>'s.
/// </summary>
public sealed class RegionStyleLoss : Loss
{
    // A region that vanishes at a layer (Σm below this) contributes nothing there rather than dividing by ~0.
    private const double MinimumArea = 1e-3;
    private readonly Tensor _target;
    private readonly double _scale;
    private readonly double _constant;
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

    /// <summary>
    /// One loss for a blend of styles over the region, equal to Σᵢ wᵢ × (style i's own region loss) with one masked Gram of
    /// the image per evaluation: Σᵢ cᵢ‖Ĝ − Âᵢ‖² = C‖Ĝ − Ā‖² + K, as <see cref="StyleLoss"/>'s blend constructor.
    /// </summary>
    /// <param name="layer">The layer it reads.</param>
    /// <param name="styles">Each style's features at the layer, [1, N, H, W] (sizes may differ), and its weight (≥ 0, not all 0).</param>
    /// <param name="mask">The region's soft mask (copied).</param>
    /// <param name="normalization">How each style's term is scaled.</param>
    /// <exception cref="NotebookStyleException">No style, weights negative, not finite or all 0, or styles with different channels.</exception>
    public RegionStyleLoss(string layer, IReadOnlyList<(Tensor Features, double Weight)> styles, Tensor mask, LossNormalization normalization = LossNormalization.Paper)
    {
        Layer = layer;
        if (styles.Count == 0) throw new NotebookStyleException("A style loss needs at least one style.");
        if (styles.Any(s => !(s.Weight >= 0) || double.IsInfinity(s.Weight)) || styles.Sum(s => s.Weight) <= 0)
            throw new NotebookStyleException("Style blend weights must be finite, ≥ 0 and not all 0.");
        N = GramMatrix.Size(styles[0].Features).N;
        if (styles.Any(s => GramMatrix.Size(s.Features).N != N))
            throw new NotebookStyleException($"The styles' features at {layer} must all have {N} channels.");
        _mask = new LayerMask(mask);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        double n = N;
        var perPosition = new List<(Tensor Target, double C)>();
        foreach (var (features, weight) in styles)
        {
            if (weight == 0) continue;
            var (_, m) = GramMatrix.Size(features);
            var target = GramMatrix.Compute(features.detach()).div(m);
            double c = normalization == LossNormalization.TargetNorm ? weight / Math.Max(target.square().sum().ToDouble(), 1e-12) : weight / (4 * n * n);
            perPosition.Add((target, c));
        }
        double total = perPosition.Sum(p => p.C);
        var mean = perPosition.Select(p => p.Target.mul(p.C)).Aggregate((a, b) => a.add(b)).div(total);
        _constant = perPosition.Sum(p => p.C * p.Target.sub(mean).square().sum().ToDouble());
        _target = mean.DetachFromDisposeScope();
        _scale = total;
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
        double area = _mask.AreaAt(f.shape[^2], f.shape[^1], f);
        if (area < MinimumArea) return f.sum().mul(0).MoveToOuterDisposeScope();
        var (index, weights) = _mask.Support(f.shape[^2], f.shape[^1], f);
        var flat = GramMatrix.Flatten(f);
        if (index is not null) flat = flat.index_select(1, index); // the positions the mask zeroes add nothing
        var gram = flat.mul(weights.unsqueeze(0)).matmul(flat.t()).div(area);
        var loss = gram.sub(_target).square().sum().mul(Weight * _scale);
        if (_constant != 0) loss = loss.add(Weight * _constant); // a blend's K
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _target.Dispose();
        _mask.Dispose();
        base.Dispose();
    }
}
