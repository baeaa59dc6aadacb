using NotebookStyle.Imaging;
using NotebookStyle.Quality;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Quality;

public class QualityTests
{
    private static Tensor Rand(long seed, int h = 32, int w = 40) => rand([1, 3, h, w], generator: new Generator((ulong)seed));

    [Fact]
    public void SsimOfAnImageWithItselfIsOneAndFallsWithNoise()
    {
        Torch.Ready();
        using var photo = ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 64);
        Assert.Equal(1.0, Ssim.Luminance(photo, photo), 9);
        using var noise = Rand(1, (int)photo.shape[2], (int)photo.shape[3]);
        using var slightly = photo.add(noise.sub(0.5).mul(0.05)).clamp(0, 1);
        using var heavily = photo.add(noise.sub(0.5).mul(0.8)).clamp(0, 1);
        double s1 = Ssim.Luminance(slightly, photo), s2 = Ssim.Luminance(heavily, photo);
        Assert.InRange(s1, 0.8, 0.9999);
        Assert.True(s2 < s1 - 0.3, $"SSIM {s1} vs {s2}");
        Assert.True(Ssim.Luminance(noise, photo) < 0.2);
    }

    [Fact]
    public void SlicedWassersteinIgnoresPixelOrderAndSeesColour()
    {
        Torch.Ready();
        using var a = Rand(2);
        using var perm = randperm(a.shape[2] * a.shape[3], generator: new Generator(5));
        using var shuffled = a.reshape(3, -1).index_select(1, perm).reshape(a.shape);
        Assert.True(SlicedWasserstein.Distance(a, shuffled) < 1e-12);
        using var darker = a.mul(0.5);
        double d = SlicedWasserstein.Distance(a, darker);
        Assert.True(d > 0.05, $"distance {d}");
        Assert.Equal(1.0, SlicedWasserstein.ColorRatio(a, a, darker), 9);
        Assert.Equal(0.0, SlicedWasserstein.ColorRatio(darker, a, darker), 9);
    }

    [Fact]
    public void MatchPaletteTakesTheStylesColourStatistics()
    {
        Torch.Ready();
        using var content = ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 64);
        using var style = ImageTensor.Load(TestPaths.SharedImage("starry_night.jpg"), 64);
        using var recoloured = ColorTransfer.MatchPalette(content, style);
        Assert.Equal(content.shape, recoloured.shape);
        double ratio = SlicedWasserstein.ColorRatio(recoloured, content, style);
        // Mean and covariance matching moves most of the colour (measured 0.32 on this pair; 1 = none moved).
        Assert.True(ratio < 0.4, $"colour ratio after palette matching {ratio}");
        // Structure is kept: only colours moved.
        Assert.True(Ssim.Luminance(recoloured, content) > 0.5);
        using var meanR = recoloured.mean([0, 2, 3]);
        using var meanS = style.mean([0, 2, 3]);
        Assert.True(meanR.sub(meanS).abs().max().item<float>() < 0.03);
    }

    [Fact]
    public void MatchHistogramTakesTheStylesWholeColourDistribution()
    {
        Torch.Ready();
        using var content = ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 64);
        using var style = ImageTensor.Load(TestPaths.SharedImage("woman-with-hat-matisse.jpg"), 64);
        using var palette = ColorTransfer.MatchPalette(content, style);
        using var full = ColorTransfer.MatchHistogram(content, style);
        using var half = ColorTransfer.MatchHistogram(content, style, strength: 0.5);
        using var none = ColorTransfer.MatchHistogram(content, style, strength: 0);
        double rPalette = SlicedWasserstein.ColorRatio(palette, content, style), rFull = SlicedWasserstein.ColorRatio(full, content, style),
            rHalf = SlicedWasserstein.ColorRatio(half, content, style);
        // Mean and covariance leave this pair's distributions far apart; the full match closes most of the rest.
        Assert.True(rFull < 0.2 && rFull < rPalette / 2, $"colour ratio: palette {rPalette}, histogram {rFull}");
        Assert.InRange(rHalf, rFull, rPalette);
        Assert.True(none.sub(palette).abs().max().item<float>() < 1e-6, "strength 0 is the mean-and-covariance match");
        Assert.True(Ssim.Luminance(full, content) > 0.4, "structure is kept");
        using var again = ColorTransfer.MatchHistogram(content, style);
        Assert.True(again.sub(full).abs().max().item<float>() == 0, "seeded: the same input gives the same output");
        Assert.Throws<ArgumentOutOfRangeException>(() => ColorTransfer.MatchHistogram(content, style, strength: 1.5));
    }

    [Fact]
    public void PreserveColorsKeepsLuminanceOfResultAndChromaOfContent()
    {
        Torch.Ready();
        using var content = Rand(3).mul(0.5).add(0.25);
        using var stylised = Rand(4).mul(0.5).add(0.25);
        using var mixed = ColorTransfer.PreserveColors(stylised, content);
        using var ly = ColorTransfer.Luminance(mixed);
        using var ls = ColorTransfer.Luminance(stylised);
        Assert.True(ly.sub(ls).abs().max().item<float>() < 1e-4);
        // Where the content is grey (no chroma) the result is grey too.
        using var grey = content.mean([1], keepdim: true).expand(content.shape).contiguous();
        using var greyed = ColorTransfer.PreserveColors(stylised, grey);
        using var spread = greyed.max(1).values.sub(greyed.min(1).values);
        Assert.True(spread.max().item<float>() < 1e-4);
    }
}
