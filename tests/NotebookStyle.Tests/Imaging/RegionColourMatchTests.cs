using NotebookStyle.Imaging;
using NotebookStyle.Quality;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

/// <summary>Colour matching fitted on a region's own pixels (the colour target of styles per region).</summary>
public class RegionColourMatchTests(ITestOutputHelper output)
{
    [Fact]
    public void AMaskOfOnesIsTheWholeImageMatch()
    {
        Torch.Ready();
        using var photo = ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 64);
        using var painting = ImageTensor.Load(TestPaths.SharedImage("starry_night.jpg"), 64);
        using var everything = ones(1, 1, photo.shape[2], photo.shape[3]);
        using var palette = ColorTransfer.MatchPalette(photo, painting);
        using var paletteRegion = ColorTransfer.MatchPalette(photo, painting, everything);
        using var histogram = ColorTransfer.MatchHistogram(photo, painting, 0.7, seed: 3);
        using var histogramRegion = ColorTransfer.MatchHistogram(photo, painting, 0.7, seed: 3, region: everything);
        Assert.Equal(0f, palette.sub(paletteRegion).abs().max().item<float>());
        Assert.True(histogram.sub(histogramRegion).abs().max().item<float>() < 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FittedOnTheRegionTheRegionTakesThePaintingsWholePalette(bool histogram)
    {
        Torch.Ready();
        using var photo = ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 96);
        using var painting = ImageTensor.Load(TestPaths.SharedImage("starry_night.jpg"), 96);
        // The sky: the top 45 % of the photo, a soft edge of a few rows.
        long h = photo.shape[2], w = photo.shape[3];
        using var rows = arange(h, dtype: ScalarType.Float32).sub(0.45f * h).div(-3f).add(0.5f).clamp(0, 1);
        using var sky = rows.view(1, 1, h, 1).expand(1, 1, h, w).contiguous();
        using var whole = histogram ? ColorTransfer.MatchHistogram(photo, painting) : ColorTransfer.MatchPalette(photo, painting);
        using var fitted = histogram ? ColorTransfer.MatchHistogram(photo, painting, region: sky) : ColorTransfer.MatchPalette(photo, painting, sky);
        using var core = sky.ge(0.5).to_type(ScalarType.Float32);
        double rWhole = RegionColor.ColorRatio(whole, photo, painting, core), rFitted = RegionColor.ColorRatio(fitted, photo, painting, core);
        output.WriteLine($"{(histogram ? "histogram" : "palette")}: sky's colour ratio fitted on the whole photo {rWhole:F3}, on the sky {rFitted:F3}");
        Assert.True(rFitted < 0.6 * rWhole, $"{rFitted} vs {rWhole}");
        if (histogram) Assert.True(rFitted < 0.1, $"the full match gives the sky the painting's distribution: {rFitted}");
        Assert.InRange(fitted.min().item<float>(), 0f, 1f);
        Assert.InRange(fitted.max().item<float>(), 0f, 1f);
        Assert.True(fitted.isfinite().all().item<bool>());
        using var empty = zeros(1, 1, h, w);
        Assert.Throws<NotebookStyleException>(() => ColorTransfer.MatchPalette(photo, painting, empty));
    }
}
