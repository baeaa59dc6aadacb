using NotebookStyle.Imaging;
using NotebookStyle.Quality;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

/// <summary>Histogram matching of poster-size images: maps learnt from a sample, applied to every pixel, agree with the exact match.</summary>
public class LargeHistogramMatchTests
{
    public LargeHistogramMatchTests() => Torch.Ready();

    private static Tensor Smooth(long height, long width, ulong seed) =>
        nn.functional.interpolate(rand([1, 3, 12, 12], generator: new Generator(seed)), [height, width], mode: InterpolationMode.Bilinear, align_corners: false);

    [Fact]
    public void TheSampledMatchAgreesWithTheExactOne()
    {
        using var scope = NewDisposeScope();
        var image = Smooth(192, 256, 1);
        var palette = Smooth(96, 96, 2).pow(3); // a darker, skewed distribution
        var exact = ColorTransfer.MatchHistogramUpTo(image, palette, 1.0, 8, 0, null, long.MaxValue);
        var sampled = ColorTransfer.MatchHistogramUpTo(image, palette, 1.0, 8, 0, null, 4096);
        double difference = exact.sub(sampled).abs().mean().ToDouble();
        Assert.True(difference < 0.01, $"mean absolute difference {difference}");
        double moved = exact.sub(image).abs().mean().ToDouble();
        Assert.True(moved > 0.05, $"the match must move the colours: {moved}");
        // Both land on the palette's colour distribution about equally well.
        double toPaletteExact = SlicedWasserstein.Distance(exact, palette), toPaletteSampled = SlicedWasserstein.Distance(sampled, palette);
        Assert.True(toPaletteSampled < 1.5 * toPaletteExact + 0.005, $"exact {toPaletteExact}, sampled {toPaletteSampled}");
        var half = ColorTransfer.MatchHistogramUpTo(image, palette, 0.5, 8, 0, null, 4096);
        Assert.True(half.sub(exact).abs().mean().ToDouble() > 0.001, "strength 0.5 lies between the palette match and the full match");
    }

    [Fact]
    public void TheSampledRegionMatchAgreesWithTheExactOne()
    {
        using var scope = NewDisposeScope();
        var image = Smooth(192, 256, 3);
        var palette = Smooth(96, 96, 4).pow(3);
        // A region: the left 40% of the image, with a soft edge.
        var region = linspace(0, 1, 256).sub(0.4).mul(-20).sigmoid().expand(192, 256).contiguous();
        var exact = ColorTransfer.MatchHistogramUpTo(image, palette, 1.0, 8, 0, region, long.MaxValue);
        var sampled = ColorTransfer.MatchHistogramUpTo(image, palette, 1.0, 8, 0, region, 4096);
        var inside = region.ge(0.5).expand(1, 3, 192, 256);
        double differenceInside = exact.sub(sampled).abs().masked_select(inside).mean().ToDouble();
        double differenceOutside = exact.sub(sampled).abs().masked_select(inside.logical_not()).mean().ToDouble();
        Assert.True(differenceInside is > 0 and < 0.01, $"mean absolute difference in the region {differenceInside} (0: the sampled path was not taken)");
        Assert.True(differenceOutside < 0.02, $"mean absolute difference outside the region {differenceOutside}");
        double moved = exact.sub(image).abs().masked_select(inside).mean().ToDouble();
        Assert.True(moved > 0.05, $"the match must move the region's colours: {moved}");
        // The sampled match is fitted on the region: the region's pixels land on the palette's distribution.
        var regionPixels = ColorTransfer.RegionPixels(region, image);
        Tensor RegionOf(Tensor t) => t.reshape(3, -1).index_select(1, regionPixels).reshape(1, 3, 1, -1);
        double toPaletteExact = SlicedWasserstein.Distance(RegionOf(exact), palette), toPaletteSampled = SlicedWasserstein.Distance(RegionOf(sampled), palette);
        Assert.True(toPaletteSampled < 1.5 * toPaletteExact + 0.005, $"exact {toPaletteExact}, sampled {toPaletteSampled}");
    }
}
