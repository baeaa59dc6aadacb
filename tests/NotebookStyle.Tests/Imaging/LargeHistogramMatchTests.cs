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
}
