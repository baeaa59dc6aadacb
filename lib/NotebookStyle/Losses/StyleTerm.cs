using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// A style term: a function of one layer's sums over positions (<see cref="PositionSums"/>, the statistic the term names)
/// and of a target fitted once on the style images' sums, (statistic, target) → scalar. A region is a term with a mask
/// (the statistic's sums run over the region, normalised by its own mass); a blend of styles is one term whose target is
/// the styles' weighted average (<see cref="BlendWeights"/>). Whole-image, tiled and region evaluation all go through
/// <see cref="FromSums"/>: that is what lets every style term tile.
/// </summary>
public abstract class StyleTerm : Loss
{
    // A region that vanishes at a layer (Σm below this) contributes nothing there rather than dividing by ~0.
    private const double MinimumMass = 1e-3;

    /// <summary>Names the layer, the region's mask (copied; null: the whole image) and whether the term reads moments.</summary>
    /// <exception cref="NotebookStyleException">A mask of another shape than [1, 1, H, W] or [H, W], or values outside [0, 1].</exception>
    protected StyleTerm(string layer, Tensor? mask, bool moments)
    {
        Layer = layer;
        Mask = mask is null ? null : new LayerMask(mask);
        Statistic = new LayerStatistic(layer, Mask, moments);
    }

    /// <inheritdoc />
    public override string Term => "style";

    /// <inheritdoc />
    public override string Layer { get; }

    /// <summary>The region's mask (null: the whole image).</summary>
    public LayerMask? Mask { get; }

    /// <summary>The sums this term reads.</summary>
    public LayerStatistic Statistic { get; }

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = features[Layer];
        using var sums = PositionSums.Of(f, Statistic, f.shape[^2], f.shape[^1], 0, 0);
        return FromSums(sums).to_type(f.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The weighted term for an image whose sums at this layer are <paramref name="sums"/> (the whole image's, or the tiles' added up).</summary>
    public Tensor FromSums(PositionSums sums)
    {
        using var scope = NewDisposeScope();
        if (sums.Mass < MinimumMass) return sums.Second.sum().mul(0).MoveToOuterDisposeScope();
        return Distance(sums).mul(Weight).MoveToOuterDisposeScope();
    }

    /// <summary>The unweighted term at sums of mass ≥ 1e-3.</summary>
    protected abstract Tensor Distance(PositionSums sums);

    /// <inheritdoc />
    public override void Dispose()
    {
        Mask?.Dispose();
        base.Dispose();
    }
}
