using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// The colour figures of <see cref="SlicedWasserstein"/> over one region of an image: the region's pixels, each weighted
/// by its mask value (a hard mask selects pixels; a soft one weights them), against a reference image's whole
/// palette (the painting). Weighted quantiles: the projected pixels are sorted and sample k sits at position
/// (Cₖ − wₖ/2 − w₀/2) / (W − w₀/2 − wₙ₋₁/2) in [0, 1] (Cₖ the cumulative weight up to and including k, W the total),
/// and each quantile is interpolated linearly between the samples around it; with equal weights this is k/(n − 1),
/// <c>torch.quantile</c>'s linear rule, so a mask of ones gives exactly <see cref="SlicedWasserstein.Distance"/>.
/// The same seeded directions as <see cref="SlicedWasserstein"/>, and the same even sampling of a region with more than
/// <see cref="SlicedWasserstein.MaxPixels"/> pixels (and of a larger reference).
/// </summary>
public static class RegionColor
{
    /// <summary>
    /// Sliced Wasserstein-1 distance between the colours of <paramref name="image"/>'s pixels under
    /// <paramref name="mask"/> and all of <paramref name="reference"/>'s (RGB [0, 1]; the mask is resized to the image).
    /// </summary>
    /// <exception cref="NotebookStyleException">The mask has another shape, values outside [0, 1], or selects nothing.</exception>
    public static double Distance(Tensor image, Tensor mask, Tensor reference, int directions = 64, int quantiles = 256, long seed = 0)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pixels = image.detach().to(CPU).to_type(ScalarType.Float64).reshape(3, -1);
        var weights = MaskWeights.At(mask, image.shape[2], image.shape[3], CPU).reshape(-1);
        var keep = weights.gt(0).nonzero().reshape(-1);
        keep = keep.index_select(0, SlicedWasserstein.Evenly(keep.shape[0]));   // at most MaxPixels, evenly spaced
        pixels = pixels.index_select(1, keep);
        weights = weights.index_select(0, keep);
        var pr = SlicedWasserstein.Sampled(reference.detach().to(CPU).to_type(ScalarType.Float64).reshape(3, -1));
        var dirs = randn([directions, 3], dtype: ScalarType.Float64, generator: new Generator((ulong)seed));
        dirs = dirs.div(dirs.norm(1, keepdim: true));
        var q = linspace(0, 1, quantiles, dtype: ScalarType.Float64);
        var qa = WeightedQuantiles(dirs.matmul(pixels), weights, q);
        var qb = quantile(dirs.matmul(pr), q, dim: 1).t();   // torch.quantile puts the quantiles first: [Q, D] → [D, Q]
        return qa.sub(qb).abs().mean().item<double>();
    }

    /// <summary>
    /// Colour ratio over a region: <see cref="Distance"/>(result, mask, painting) / <see cref="Distance"/>(photo, mask,
    /// painting). 0 = the region has the painting's palette, 1 = its colours did not move from the photo's (above 1: further
    /// from the painting than the photo was).
    /// </summary>
    public static double ColorRatio(Tensor result, Tensor photo, Tensor painting, Tensor mask)
    {
        double baseline = Distance(photo, mask, painting);
        return baseline <= 1e-12 ? 0.0 : Distance(result, mask, painting) / baseline;
    }

    /// <summary>
    /// Quantiles <paramref name="q"/> [Q] of each row of <paramref name="values"/> [D, n] whose samples have weights
    /// <paramref name="weights"/> [n] (&gt; 0): [D, Q], by the rule in the class summary.
    /// </summary>
    internal static Tensor WeightedQuantiles(Tensor values, Tensor weights, Tensor q)
    {
        using var scope = NewDisposeScope();
        long d = values.shape[0], n = values.shape[1];
        if (n == 0) throw new NotebookStyleException("The region mask is empty: it selects no pixel.");
        if (n == 1) return values.expand(d, q.shape[0]).contiguous().MoveToOuterDisposeScope();
        var (sorted, order) = values.sort(1);
        var w = weights.take(order);                                    // [D, n], each row in its sorted order
        var first = w.narrow(1, 0, 1).mul(0.5);
        var last = w.narrow(1, n - 1, 1).mul(0.5);
        var span = w.sum(1, keepdim: true).sub(first).sub(last);
        var position = w.cumsum(1).sub(w.mul(0.5)).sub(first).div(span).clamp(0, 1);
        var qq = q.to_type(ScalarType.Float64).unsqueeze(0).expand(d, q.shape[0]).contiguous();
        var hi = searchsorted(position, qq).clamp(0, n - 1);
        var lo = hi.sub(1).clamp_min(0);
        var pLo = position.gather(1, lo);
        var gap = position.gather(1, hi).sub(pLo);
        var t = gap.gt(0).to_type(ScalarType.Float64).mul(qq.sub(pLo).div(gap.clamp_min(1e-300))).clamp(0, 1);
        var vLo = sorted.gather(1, lo);
        return vLo.add(sorted.gather(1, hi).sub(vLo).mul(t)).MoveToOuterDisposeScope();
    }
}
