using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// Whether a result shows a seam where its regions meet: the mean gradient magnitude of the result in a band around the
/// region borders against each region's own level, measured just outside the band.
/// <list type="bullet">
/// <item>Gradient magnitude at a pixel: √Σ_c (∂x² + ∂y²) over R, G, B, by central differences ((x[j+1] − x[j−1]) / 2);
/// pixels on the image's edge are left out of everything below.</item>
/// <item>Border pixels: those with a 4-neighbour of another label (<see cref="RegionLabels"/>); the band: every pixel
/// within k pixels (Chebyshev distance) of a border pixel, k = <see cref="HalfWidth"/>.</item>
/// <item>A region's own level: the mean gradient magnitude over its ring, its pixels between k and 3k pixels from a
/// border (outside the band, as near to the border as possible so that both see the same kind of content).</item>
/// <item>Each region's side of the band: the mean gradient magnitude over the band pixels of that region; its step is
/// side / own. <see cref="Step"/> is the largest over the regions, so a seam shows even when a busier neighbour's side
/// would hide it in a pooled mean. About 1 without a seam; a hard colour or texture edge along the border adds a line
/// of large gradients on both sides (a step of d between two flat colours adds about d / (2k + 2) to the band's mean).
/// Regions without a ring (narrower than the band) are left out.</item>
/// <item><see cref="Pooled"/>: the whole band's mean over what its pixels would hold at their regions' own levels,
/// Σ_r side_r·n_r / Σ_r own_r·n_r (n_r the band pixels in region r).</item>
/// </list>
/// An edge of the photo itself that runs along a border (a horizon, say) raises the step too: measure the photo with the
/// same labels to tell its own edges from a seam the result adds.
/// </summary>
/// <param name="Step">The largest side / own over the regions.</param>
/// <param name="Pooled">The whole band against its regions' own levels.</param>
/// <param name="HalfWidth">k: the band's half width in pixels.</param>
/// <param name="Regions">Per label: the mean gradient magnitude of its side of the band and of its ring (its own level).</param>
public sealed record BorderStep(double Step, double Pooled, int HalfWidth, IReadOnlyList<(long Label, double Band, double Own)> Regions)
{
    /// <summary>The default half width: 2% of the image's long side (the σ of <see cref="Imaging.RegionMap"/>'s default blur), at least 2 pixels.</summary>
    public static int DefaultHalfWidth(long height, long width) => Math.Max(2, (int)Math.Round(0.02 * Math.Max(height, width)));

    /// <summary>Measures RGB [0, 1] <paramref name="image"/> [1, 3, H, W] against region <paramref name="labels"/> (integers, [H, W] or [1, 1, H, W]).</summary>
    /// <param name="image">The result.</param>
    /// <param name="labels">Region labels at the image's size, e.g. <see cref="RegionLabels.FromMasks"/>.</param>
    /// <param name="halfWidth">k (null: <see cref="DefaultHalfWidth"/>).</param>
    /// <exception cref="NotebookStyleException">Labels of another size, a single region (no border), or no region with a ring.</exception>
    public static BorderStep Measure(Tensor image, Tensor labels, int? halfWidth = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long h = image.shape[2], w = image.shape[3];
        var l = labels.detach().to(CPU).to_type(ScalarType.Int64);
        if (l.dim() == 4) l = l.reshape(l.shape[2], l.shape[3]);
        if (l.dim() != 2 || l.shape[0] != h || l.shape[1] != w)
            throw new NotebookStyleException($"The labels must be [{h}, {w}] like the image, got [{string.Join(", ", labels.shape)}].");
        int k = halfWidth ?? DefaultHalfWidth(h, w);
        if (k < 1) throw new NotebookStyleException($"The band's half width must be at least 1 pixel, got {k}.");

        var x = image.detach().to(CPU).to_type(ScalarType.Float64).reshape(3, h, w);
        var dx = x.narrow(2, 2, w - 2).sub(x.narrow(2, 0, w - 2)).mul(0.5).narrow(1, 1, h - 2);
        var dy = x.narrow(1, 2, h - 2).sub(x.narrow(1, 0, h - 2)).mul(0.5).narrow(2, 1, w - 2);
        var gradient = dx.square().add(dy.square()).sum(0, keepdim: false).sqrt();                  // [H − 2, W − 2]

        // Border pixels: a 4-neighbour with another label (on the full grid).
        var right = l.narrow(1, 0, w - 1).ne(l.narrow(1, 1, w - 1));    // [H, W − 1]: pixel and its right neighbour differ
        var down = l.narrow(0, 0, h - 1).ne(l.narrow(0, 1, h - 1));     // [H − 1, W]: pixel and the one below differ
        var border = Pad(right, 0, 1, 0, 0).logical_or(Pad(right, 1, 0, 0, 0))
            .logical_or(Pad(down, 0, 0, 0, 1)).logical_or(Pad(down, 0, 0, 1, 0));
        if (!border.any().ToBoolean()) throw new NotebookStyleException("The labels hold a single region: there is no border to measure.");
        var near = Dilate(border, k);
        var ring = Dilate(border, 3 * k).logical_and(near.logical_not());
        Tensor Inner(Tensor t) => t.narrow(0, 1, h - 2).narrow(1, 1, w - 2);
        near = Inner(near);
        ring = Inner(ring);
        var inner = Inner(l);

        var regions = new List<(long Label, double Band, double Own)>();
        double bandSum = 0, expected = 0;
        foreach (long label in inner.unique().Item1.data<long>().ToArray())
        {
            var mine = inner.eq(label);
            var ringMine = ring.logical_and(mine);
            var bandMine = near.logical_and(mine);
            double ringCount = ringMine.sum().ToDouble(), bandMineCount = bandMine.sum().ToDouble();
            if (ringCount == 0 || bandMineCount == 0) continue;
            double own = gradient.masked_select(ringMine).mean().ToDouble();
            double bandMineSum = gradient.masked_select(bandMine).sum().ToDouble();
            regions.Add((label, bandMineSum / bandMineCount, own));
            bandSum += bandMineSum;
            expected += bandMineCount * own;
        }
        if (regions.Count == 0) throw new NotebookStyleException("No region is wide enough to have pixels beyond the band: use a smaller half width.");
        static double Ratio(double a, double b) => b > 0 ? a / b : double.PositiveInfinity;
        return new BorderStep(regions.Max(r => Ratio(r.Band, r.Own)), Ratio(bandSum, expected), k, regions);
    }

    private static Tensor Pad(Tensor t, long left, long right, long top, long bottom) =>
        nn.functional.pad(t.to_type(ScalarType.Float32).unsqueeze(0).unsqueeze(0), [left, right, top, bottom]).reshape(t.shape[0] + top + bottom, t.shape[1] + left + right).gt(0.5);

    /// <summary>Pixels within Chebyshev distance <paramref name="radius"/> of a set pixel.</summary>
    private static Tensor Dilate(Tensor mask, int radius) =>
        nn.functional.max_pool2d(mask.to_type(ScalarType.Float32).unsqueeze(0).unsqueeze(0), 2 * radius + 1, 1, radius)
            .reshape(mask.shape[0], mask.shape[1]).gt(0.5);
}
