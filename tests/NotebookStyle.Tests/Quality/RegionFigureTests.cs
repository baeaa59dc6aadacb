using NotebookStyle.Imaging;
using NotebookStyle.Quality;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Quality;

/// <summary>The region-restricted figures (colour ratio and SSIM over a mask, the border step) on made-up and real images.</summary>
public class RegionFigureTests(ITestOutputHelper output)
{
    private static Tensor Photo() => ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 96);

    private static Tensor Painting() => ImageTensor.Load(TestPaths.SharedImage("starry_night.jpg"), 96);

    /// <summary>A [1, 1, H, W] mask of ones in columns [from, to).</summary>
    private static Tensor Columns(Tensor like, long from, long to)
    {
        var m = zeros(1, 1, like.shape[2], like.shape[3]);
        m[.., .., .., (int)from..(int)to] = tensor(1f);
        return m;
    }

    [Fact]
    public void AMaskOfOnesGivesTheWholeImagesFigures()
    {
        Torch.Ready();
        using var photo = Photo();
        using var painting = Painting();
        using var recoloured = ColorTransfer.MatchPalette(photo, painting);
        using var everything = ones(1, 1, photo.shape[2], photo.shape[3]);
        using var halves = full(new long[] { photo.shape[2], photo.shape[3] }, 0.5);
        double whole = SlicedWasserstein.Distance(recoloured, painting), masked = RegionColor.Distance(recoloured, everything, painting);
        output.WriteLine($"distance whole {whole:G10}, mask of ones {masked:G10}");
        Assert.Equal(whole, masked, 1e-9);
        Assert.Equal(whole, RegionColor.Distance(recoloured, halves, painting), 1e-9); // only relative weights count
        Assert.Equal(SlicedWasserstein.ColorRatio(recoloured, photo, painting), RegionColor.ColorRatio(recoloured, photo, painting, everything), 1e-9);
        Assert.Equal(Ssim.Luminance(recoloured, photo), RegionSsim.Luminance(recoloured, photo, everything), 1e-12);
    }

    [Fact]
    public void EachRegionIsMeasuredOverItsOwnPixelsOnly()
    {
        Torch.Ready();
        using var photo = Photo();
        using var painting = Painting();
        long w = photo.shape[3], half = w / 2;
        // Left half takes the painting's colour distribution (matched on its own pixels), right half stays the photo.
        using var leftPhoto = photo[.., .., .., ..(int)half].contiguous();
        using var recoloured = ColorTransfer.MatchHistogram(leftPhoto, painting);
        using var result = photo.clone();
        result[.., .., .., ..(int)half] = recoloured;
        using var left = Columns(photo, 0, half);
        using var right = Columns(photo, half, w);
        double rLeft = RegionColor.ColorRatio(result, photo, painting, left), rRight = RegionColor.ColorRatio(result, photo, painting, right);
        double sLeft = RegionSsim.Luminance(result, photo, left), sRight = RegionSsim.Luminance(result, photo, right);
        double rWhole = SlicedWasserstein.ColorRatio(result, photo, painting);
        output.WriteLine($"colour ratio left {rLeft:F3}, right {rRight:F3}, whole {rWhole:F3}; SSIM left {sLeft:F3}, right {sRight:F3}");
        Assert.True(rLeft < 0.15, $"the recoloured half has the painting's palette: {rLeft}");
        Assert.Equal(1.0, rRight, 9);                       // untouched pixels: exactly the photo's distance
        Assert.InRange(rWhole, rLeft, rRight);             // the whole image mixes both
        Assert.True(sRight > 0.97, $"the untouched half keeps its structure: {sRight}"); // windows near the cut see both halves
        using var inside = Columns(photo, half + 5, w);     // windows wholly inside the untouched half
        Assert.Equal(1.0, RegionSsim.Luminance(result, photo, inside), 9);
        Assert.True(sLeft < sRight - 0.05, $"{sLeft} vs {sRight}");
        // A soft mask weights pixels: halfway between the two hard masks' figures.
        using var soft = left.mul(0.75).add(right.mul(0.25));
        double rSoft = RegionColor.ColorRatio(result, photo, painting, soft);
        Assert.InRange(rSoft, rLeft, rRight);
        // Masks of another size are resized to the image.
        using var small = nn.functional.interpolate(left, [photo.shape[2] / 2, w / 2], mode: InterpolationMode.Nearest);
        Assert.Equal(rLeft, RegionColor.ColorRatio(result, photo, painting, small), 2);
    }

    [Fact]
    public void MasksThatSelectNothingOrAreNotMasksAreRefused()
    {
        Torch.Ready();
        using var photo = Photo();
        using var painting = Painting();
        using var empty = zeros(1, 1, photo.shape[2], photo.shape[3]);
        using var twice = ones(1, 1, photo.shape[2], photo.shape[3]).mul(2);
        using var rgb = ones(1, 3, photo.shape[2], photo.shape[3]);
        Assert.Throws<NotebookStyleException>(() => RegionColor.ColorRatio(photo, photo, painting, empty));
        Assert.Throws<NotebookStyleException>(() => RegionColor.ColorRatio(photo, photo, painting, twice));
        Assert.Throws<NotebookStyleException>(() => RegionSsim.Luminance(photo, photo, rgb));
        using var edge = Columns(photo, 0, 3);   // only windows centred ≥ 5 px from the edge exist
        Assert.Throws<NotebookStyleException>(() => RegionSsim.Luminance(photo, photo, edge));
    }

    [Fact]
    public void LabelsTakeTheStrongestMaskAndMarkWhatNoneCovers()
    {
        Torch.Ready();
        using var a = tensor(new float[] { 0.9f, 0.6f, 0.3f, 0.0f }).view(1, 4);
        using var b = tensor(new float[] { 0.1f, 0.4f, 0.0f, 0.2f }).view(1, 4);
        using var labels = RegionLabels.FromMasks([a, b]);
        Assert.Equal(new long[] { 0, 0, 2, 2 }, labels.data<long>().ToArray());   // 0.3 and 0.2 cover less than half
        using var c = ones(1, 5);
        Assert.Throws<NotebookStyleException>(() => RegionLabels.FromMasks([a, c]));
    }

    /// <summary>Noise texture of amplitude 0.1 on grey, left half raised by <paramref name="offset"/>; the step between the halves spread over ±<paramref name="soft"/> px.</summary>
    private static (Tensor Image, Tensor Labels) Halves(double offset, int soft, ulong seed = 3)
    {
        const int h = 64, w = 96;
        var image = rand(new long[] { 1, 3, h, w }, generator: new Generator(seed)).mul(0.1).add(0.4);
        var x = arange(w, dtype: ScalarType.Float32).sub(w / 2 - 0.5);
        var ramp = soft == 0 ? x.lt(0).to_type(ScalarType.Float32) : x.div(-2.0 * soft).add(0.5).clamp(0, 1);
        image = image.add(ramp.mul(offset).view(1, 1, 1, w));
        var labels = x.ge(0).to_type(ScalarType.Int64).view(1, w).expand(h, w).contiguous();
        return (image, labels);
    }

    [Fact]
    public void TheBorderStepSeesASeamAndNotASoftTransition()
    {
        Torch.Ready();
        var (same, labels) = Halves(0, 0);
        var (seam, _) = Halves(0.3, 0);
        var (soft, _) = Halves(0.3, 8);
        var none = BorderStep.Measure(same, labels, 3);
        var hard = BorderStep.Measure(seam, labels, 3);
        var blended = BorderStep.Measure(soft, labels, 3);
        output.WriteLine($"step: no seam {none.Step:F3}, hard seam {hard.Step:F3}, soft transition over 16 px {blended.Step:F3}; pooled {none.Pooled:F3}, {hard.Pooled:F3}, {blended.Pooled:F3}");
        Assert.InRange(none.Step, 0.95, 1.05);
        Assert.True(hard.Step > 1.5, $"a 0.3 colour step is a seam: {hard.Step}");
        Assert.True(blended.Step < 1.2, $"spread over 16 px it is not: {blended.Step}");
        Assert.Equal(2, hard.Regions.Count);
        Assert.All(hard.Regions, r => Assert.True(r.Band / r.Own > 1.5, $"both sides see the seam: {r}"));
        Assert.InRange(hard.Pooled, 1.5, hard.Step);
        Assert.Equal(3, hard.HalfWidth);
        using var one = zeros(new long[] { 64, 96 }, ScalarType.Int64);
        Assert.Throws<NotebookStyleException>(() => BorderStep.Measure(same, one));
        same.Dispose(); seam.Dispose(); soft.Dispose(); labels.Dispose();
    }
}
