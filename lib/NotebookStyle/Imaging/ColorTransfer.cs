using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// Colour handling around style transfer, on RGB [0, 1] tensors [1, 3, H, W]:
/// <see cref="MatchPalette"/> gives the content the style's colour statistics (mean and covariance),
/// <see cref="PreserveColors"/> puts the content's chroma back under the result's luminance (neural-style's
/// <c>-original_colors</c>), <see cref="Luminance"/> is the Rec. 601 luma.
/// </summary>
public static class ColorTransfer
{
    /// <summary>
    /// Recolours <paramref name="image"/> so its pixels have the RGB mean and covariance of <paramref name="palette"/>:
    /// x' = (x − μc)·Cc^(−1/2)·Cs^(1/2) + μs, clamped to [0, 1] (Gatys et al. 2017, "Controlling perceptual factors", colour matching).
    /// With <paramref name="region"/>, μc and Cc are the region's pixels' (see <see cref="RegionPixels"/>), so that the
    /// region takes the palette's statistics; the same map is applied to every pixel (the caller blends by the mask).
    /// </summary>
    /// <param name="image">RGB [0, 1] tensor [1, 3, H, W].</param>
    /// <param name="palette">RGB [0, 1] tensor [1, 3, H', W'] whose colours are wanted.</param>
    /// <param name="region">A mask [1, 1, H, W] or [H, W] in [0, 1] (null: the whole image).</param>
    public static Tensor MatchPalette(Tensor image, Tensor palette, Tensor? region = null)
    {
        using var scope = NewDisposeScope();
        var x = Pixels(image);
        var (mc, cc) = Stats(region is null ? x : x.index_select(0, RegionPixels(region, image)));
        var (ms, cs) = Stats(Pixels(palette));
        var transform = MatrixPower(cc, -0.5).matmul(MatrixPower(cs, 0.5));
        if (x.shape[0] > ExactHistogramPixels)
        {
            // Large images: the same affine map applied in the image's own precision, without [n, 3] float64 temporaries.
            x.Dispose();
            var t = transform.t().to_type(image.dtype);
            var centred = image.detach().sub(mc.t().reshape(1, 3, 1, 1).to_type(image.dtype));
            return einsum("ij,bjhw->bihw", t, centred).add_(ms.t().reshape(1, 3, 1, 1).to_type(image.dtype)).clamp_(0, 1).MoveToOuterDisposeScope();
        }
        var y = x.sub(mc).matmul(transform).add(ms).clamp(0, 1);
        return FromPixels(y, image).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Recolours <paramref name="image"/> so its whole colour distribution follows <paramref name="palette"/>'s, not only
    /// mean and covariance: <see cref="MatchPalette"/> first, then iterative sliced histogram matching (Pitié, Kokaram,
    /// Dahyot 2007, "automated colour grading"): each pass projects both pixel sets on a random orthonormal basis of RGB and
    /// moves every pixel along each axis to the palette's value at the same quantile. Seeded, so deterministic.
    /// </summary>
    /// <param name="image">RGB [0, 1] tensor [1, 3, H, W].</param>
    /// <param name="palette">RGB [0, 1] tensor [1, 3, H', W'] whose colours are wanted.</param>
    /// <param name="strength">
    /// 1: the full match; 0: <see cref="MatchPalette"/>'s mean-and-covariance match; in between, a blend of the two (the
    /// full match can merge regions of a photo that the painting has no colours to tell apart).
    /// </param>
    /// <param name="passes">Rotations; a handful converges for RGB.</param>
    /// <param name="seed">Seed of the random rotations.</param>
    /// <param name="region">
    /// A mask [1, 1, H, W] or [H, W] in [0, 1] (null: the whole image): the match is fitted on the region's pixels
    /// (<see cref="RegionPixels"/>), so that the region's own colours take the palette's whole distribution; each pass's
    /// 1-D map (the region's sorted projections to the palette's quantiles) moves the region's pixels as the whole-image
    /// match moves all (a region of ones gives the whole-image result) and every other pixel by the displacement
    /// interpolated at its projection (constant beyond the region's range), so pixels outside follow smoothly and the
    /// caller can blend by the soft mask.
    /// </param>
    public static Tensor MatchHistogram(Tensor image, Tensor palette, double strength = 1.0, int passes = 8, long seed = 0, Tensor? region = null) =>
        MatchHistogramUpTo(image, palette, strength, passes, seed, region, ExactHistogramPixels);

    /// <summary>
    /// <see cref="MatchHistogram(Tensor, Tensor, double, int, long, Tensor?)"/> with the exact whole-image path up to
    /// <paramref name="exactPixels"/> pixels, the sampled one above (tests compare the two).
    /// </summary>
    internal static Tensor MatchHistogramUpTo(Tensor image, Tensor palette, double strength, int passes, long seed, Tensor? region, long exactPixels)
    {
        if (passes < 0) throw new ArgumentOutOfRangeException(nameof(passes), passes, "Passes must be 0 or more.");
        if (strength is < 0 or > 1 || double.IsNaN(strength))
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "Strength must be between 0 and 1.");
        using var scope = NewDisposeScope();
        using var start = MatchPalette(image, palette, region);
        if (image.shape[^1] * image.shape[^2] > exactPixels)
            return MatchLargeHistogram(start, palette, strength, passes, seed, exactPixels, region is null ? null : RegionPixels(region, image)).MoveToOuterDisposeScope();
        var x0 = Pixels(start);
        var x = x0;
        var s = Pixels(palette);
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        if (region is not null)
        {
            var fitted = MatchRegion(x0, s, RegionPixels(region, image), passes, generator);
            var mixed = strength == 1.0 ? fitted : x0.add(fitted.sub(x0).mul(strength));
            return FromPixels(mixed.clamp(0, 1), image).MoveToOuterDisposeScope();
        }
        long n = x.shape[0], ns = s.shape[0];
        // Where each of x's quantiles falls among the palette's sorted values.
        var at = linspace(0, ns - 1, n, dtype: ScalarType.Float64, device: x.device);
        var lo = at.floor().to_type(ScalarType.Int64);
        var hi = lo.add(1).clamp_max(ns - 1);
        var frac = at.sub(lo.to_type(ScalarType.Float64));
        for (int pass = 0; pass < passes; pass++)
        {
            // Each pass's temporaries (a dozen [n, 3] float64 tensors) go when it ends: all passes' at once were ~0.6 GB at 512 px.
            using var passScope = NewDisposeScope();
            var (q, _) = linalg.qr(randn(3, 3, dtype: ScalarType.Float64, generator: generator).to(x.device));
            var px = x.matmul(q);                                   // [n, 3]
            var ps = s.matmul(q).sort(0).Values;                    // the palette's sorted projections
            var order = px.argsort(0);
            var wanted = ps.index_select(0, lo).mul(frac.unsqueeze(1).neg().add(1)).add(ps.index_select(0, hi).mul(frac.unsqueeze(1)));
            var matched = zeros_like(px).scatter_(0, order, wanted); // the k-th smallest of px gets the palette's k-th quantile
            var next = x.add(matched.sub(px).matmul(q.t())).MoveToOuterDisposeScope();
            if (!ReferenceEquals(x, x0)) x.Dispose();
            x = next;
        }
        var blended = strength == 1.0 ? x : x0.add(x.sub(x0).mul(strength));
        return FromPixels(blended.clamp(0, 1), image).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The sliced passes of <see cref="MatchHistogram"/> fitted on the pixels <paramref name="fit"/> of <paramref name="x0"/>
    /// ([n, 3]) and applied to all of them by interpolating each axis's displacement.
    /// </summary>
    private static Tensor MatchRegion(Tensor x0, Tensor s, Tensor fit, int passes, TorchSharp.torch.Generator generator)
    {
        using var scope = NewDisposeScope();
        long nr = fit.shape[0], ns = s.shape[0];
        var at = linspace(0, ns - 1, nr, dtype: ScalarType.Float64, device: x0.device);
        var lo = at.floor().to_type(ScalarType.Int64);
        var hi = lo.add(1).clamp_max(ns - 1);
        var frac = at.sub(lo.to_type(ScalarType.Float64)).unsqueeze(1);
        var x = x0;
        for (int pass = 0; pass < passes; pass++)
        {
            using var passScope = NewDisposeScope();
            var (q, _) = linalg.qr(randn(3, 3, dtype: ScalarType.Float64, generator: generator).to(x.device));
            var px = x.matmul(q);                                                   // [n, 3]
            var ps = s.matmul(q).sort(0).Values;
            var inside = px.index_select(0, fit);
            var (source, order) = inside.sort(0);                                  // the region's sorted projections [nr, 3]
            var wanted = ps.index_select(0, lo).mul(frac.neg().add(1)).add(ps.index_select(0, hi).mul(frac));
            var shift = Interpolate(source.t().contiguous(), wanted.sub(source).t().contiguous(), px.t().contiguous()).t().contiguous(); // [n, 3]
            // The region's own pixels move exactly as the whole-image match moves its pixels: the k-th smallest to the k-th quantile.
            var exact = zeros_like(inside).scatter_(0, order, wanted).sub(inside);
            shift = shift.index_copy(0, fit, exact);
            var next = x.add(shift.matmul(q.t())).MoveToOuterDisposeScope();
            if (!ReferenceEquals(x, x0)) x.Dispose();
            x = next;
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Above this many pixels <see cref="MatchHistogram"/> learns each pass's per-axis maps from an evenly spaced sample of
    /// this many of the image's pixels (of the region's, with a region) and applies them to every pixel by linear
    /// interpolation, a chunk at a time: the exact match's float64 temporaries grow with the image (~6 GB at 12.6 MP; the
    /// exact region match, which moves every pixel by an interpolated displacement, peaked above 10 GB for a two-region
    /// 4096 px poster).
    /// </summary>
    public const long ExactHistogramPixels = 1 << 20;

    /// <summary>Pixels of each chunk the large-image histogram match moves at once.</summary>
    private const long Chunk = 1 << 20;

    /// <summary>
    /// <see cref="MatchHistogram"/>'s passes for a large image, already matched in mean and covariance: per pass and
    /// axis, the sample's sorted projections and the palette's values at the same quantiles (a large palette sampled
    /// the same way) define a monotone map, applied to every pixel by interpolation between the sample's neighbouring values.
    /// With <paramref name="fit"/> (a region's pixel indices) the sample is drawn from the region's pixels and each pixel
    /// moves by the displacement interpolated at its projection, constant beyond the region's range (as
    /// <see cref="MatchRegion"/> moves the pixels outside the region).
    /// </summary>
    private static Tensor MatchLargeHistogram(Tensor start, Tensor palette, double strength, int passes, long seed, long samplePixels, Tensor? fit = null)
    {
        using var scope = NewDisposeScope();
        long n = start.shape[^1] * start.shape[^2];
        var x = start.detach().reshape(3, n).to_type(ScalarType.Float64).clone(); // [3, n], moved in place pass by pass
        var x0 = strength == 1.0 ? null : x.clone();
        long pool = fit?.shape[0] ?? n;
        var picks = linspace(0, pool - 1, Math.Min(samplePixels, pool), dtype: ScalarType.Float64, device: x.device).round().to_type(ScalarType.Int64);
        var sample = fit is null ? picks : fit.index_select(0, picks);
        var s = Pixels(palette);
        if (s.shape[0] > samplePixels) // a poster-size palette: its quantiles from an evenly spaced sample as well
            s = s.index_select(0, linspace(0, s.shape[0] - 1, samplePixels, dtype: ScalarType.Float64, device: s.device).round().to_type(ScalarType.Int64));
        long m = sample.shape[0], ns = s.shape[0];
        var at = linspace(0, ns - 1, m, dtype: ScalarType.Float64, device: x.device);
        var lo = at.floor().to_type(ScalarType.Int64);
        var hi = lo.add(1).clamp_max(ns - 1);
        var frac = at.sub(lo.to_type(ScalarType.Float64)).unsqueeze(1);
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        for (int pass = 0; pass < passes; pass++)
        {
            using var passScope = NewDisposeScope();
            var (q, _) = linalg.qr(randn(3, 3, dtype: ScalarType.Float64, generator: generator).to(x.device));
            var sorted = x.index_select(1, sample).t().matmul(q).sort(0).Values.t().contiguous(); // [3, m] the sample's projections
            var ps = s.matmul(q).sort(0).Values;
            var wanted = ps.index_select(0, lo).mul(frac.neg().add(1)).add(ps.index_select(0, hi).mul(frac)).t().contiguous(); // [3, m]
            for (long first = 0; first < n; first += Chunk)
            {
                using var chunkScope = NewDisposeScope();
                var xc = x.narrow(1, first, Math.Min(Chunk, n - first)); // [3, c], a view of x
                var p = q.t().matmul(xc);                                // [3, c] projections
                var shift = fit is null ? Interpolate(sorted, wanted, p.contiguous()).sub(p) : Interpolate(sorted, wanted.sub(sorted), p.contiguous());
                xc.add_(q.matmul(shift));
            }
            // Measured at 3.1 MP: without a collection per pass the peak RSS was 3.4 GB, with one 1.4 GB (some native
            // buffers of the pass outlive its dispose scope until their finalizers run; one per chunk did no better).
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        var blended = x0 is null ? x : x0.add(x.sub(x0).mul(strength));
        return blended.clamp(0, 1).reshape(start.shape).to_type(start.dtype).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Row-wise piecewise-linear interpolation of (xs, ys) [R, m] (xs sorted) at v [R, n], constant beyond the ends.</summary>
    private static Tensor Interpolate(Tensor xs, Tensor ys, Tensor v)
    {
        using var scope = NewDisposeScope();
        long m = xs.shape[1];
        if (m == 1) return ys.expand(v.shape).contiguous().MoveToOuterDisposeScope();
        var hi = searchsorted(xs, v).clamp(1, m - 1);
        var lo = hi.sub(1);
        var xLo = xs.gather(1, lo);
        var gap = xs.gather(1, hi).sub(xLo);
        var t = gap.gt(0).to_type(v.dtype).mul(v.sub(xLo).div(gap.clamp_min(1e-300))).clamp(0, 1);
        var yLo = ys.gather(1, lo);
        return yLo.add(ys.gather(1, hi).sub(yLo).mul(t)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The indices (into the [H·W] pixels of <paramref name="image"/>) of a region's pixels: where its mask (resized to the
    /// image by <see cref="RegionMask"/>) is at least 0.5, the region proper of a soft mask; where it is above 0 if no pixel reaches 0.5.
    /// </summary>
    /// <exception cref="NotebookStyleException">A mask of another shape, values outside [0, 1], or one that selects no pixel.</exception>
    public static Tensor RegionPixels(Tensor region, Tensor image)
    {
        using var scope = NewDisposeScope();
        var flat = RegionMask.At(region, image.shape[2], image.shape[3], device: image.device).reshape(-1);
        var picked = flat.ge(0.5).nonzero().reshape(-1);
        if (picked.shape[0] == 0) picked = flat.gt(0).nonzero().reshape(-1);
        if (picked.shape[0] == 0) throw new NotebookStyleException("The region mask is empty: it selects no pixel to fit the colours on.");
        return picked.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Keeps the luminance of <paramref name="stylised"/> and the chroma (YIQ I and Q) of <paramref name="content"/>;
    /// <paramref name="content"/> is resized to the result's size if needed.
    /// </summary>
    public static Tensor PreserveColors(Tensor stylised, Tensor content)
    {
        using var scope = NewDisposeScope();
        var c = content.shape[2] == stylised.shape[2] && content.shape[3] == stylised.shape[3]
            ? content
            : nn.functional.interpolate(content, [stylised.shape[2], stylised.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        var toYiq = tensor(new float[] { 0.299f, 0.587f, 0.114f, 0.595716f, -0.274453f, -0.321263f, 0.211456f, -0.522591f, 0.311135f }, [3, 3])
            .to(stylised.device).to_type(stylised.dtype);
        var fromYiq = linalg.inv(toYiq);
        var ys = Yiq(stylised, toYiq);
        var yc = Yiq(c, toYiq);
        var mixed = cat([ys[.., 0..1], yc[.., 1..3]], 1);
        var rgb = einsum("ij,bjhw->bihw", fromYiq, mixed).clamp(0, 1);
        return rgb.MoveToOuterDisposeScope();
    }

    /// <summary>Rec. 601 luma of an RGB image: [1, 1, H, W].</summary>
    public static Tensor Luminance(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 0.299f, 0.587f, 0.114f }).to(rgb.device).to_type(rgb.dtype).view(1, 3, 1, 1);
        return rgb.mul(w).sum(1, keepdim: true).MoveToOuterDisposeScope();
    }

    private static Tensor Yiq(Tensor rgb, Tensor m) => einsum("ij,bjhw->bihw", m, rgb);

    // [1, 3, H, W] → [H·W, 3] in float64 (covariances of 8-bit images are ill-conditioned in float32).
    private static Tensor Pixels(Tensor image) => image.detach().to_type(ScalarType.Float64).reshape(3, -1).t();

    private static Tensor FromPixels(Tensor pixels, Tensor like) =>
        pixels.t().reshape(like.shape).to_type(like.dtype).contiguous();

    private static (Tensor Mean, Tensor Cov) Stats(Tensor pixels)
    {
        var mean = pixels.mean([0], keepdim: true);
        var centred = pixels.sub(mean);
        // A small ridge keeps flat (e.g. grey) images invertible.
        var cov = centred.t().matmul(centred).div(Math.Max(1, pixels.shape[0] - 1)).add(eye(3, dtype: ScalarType.Float64, device: pixels.device).mul(1e-5));
        return (mean, cov);
    }

    private static Tensor MatrixPower(Tensor symmetric, double power)
    {
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.matmul(diag(values.clamp_min(1e-10).pow(power))).matmul(vectors.t());
    }
}
