using NotebookStyle.Quality;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Quality;

/// <summary>Colour ratio and SSIM over a region's pixels (the per-region figures of lesson 06).</summary>
public class RegionQualityTests
{
    /// <summary>Noise around one colour, [1, 3, h, w].</summary>
    private static Tensor Around(float r, float g, float b, long h, long w, ulong seed) =>
        tensor(new[] { r, g, b }).view(1, 3, 1, 1).add(rand(new long[] { 1, 3, h, w }, generator: new Generator(seed)).mul(0.2f).sub(0.1f)).clamp(0, 1);

    /// <summary>A grey photo; a result whose left half took a green painting's pixels and whose right half is the photo.</summary>
    private static (Tensor Photo, Tensor Result, Tensor Painting, Tensor Left, Tensor Right) Scene()
    {
        var photo = Around(0.5f, 0.5f, 0.5f, 32, 48, 1);
        var painting = Around(0.1f, 0.8f, 0.2f, 40, 40, 2);
        var result = photo.clone();
        result[.., .., .., ..24] = Around(0.1f, 0.8f, 0.2f, 32, 24, 3);
        var left = zeros(1, 1, 16, 24);   // half size: resized to the images
        left[.., .., .., ..12] = tensor(1f);
        return (photo, result, painting, left, left.neg().add(1));
    }

    [Fact]
    public void TheColourRatioInsideARegionSeesOnlyThatRegion()
    {
        Torch.Ready();
        var (photo, result, painting, left, right) = Scene();
        double inLeft = SlicedWasserstein.ColorRatio(result, photo, painting, left);
        double inRight = SlicedWasserstein.ColorRatio(result, photo, painting, right);
        double whole = SlicedWasserstein.ColorRatio(result, photo, painting);
        Assert.True(inLeft < 0.1, $"the left half took the painting's colours: {inLeft:F3}");
        Assert.Equal(1.0, inRight, 1e-9);   // the right half is the photo's pixels
        Assert.InRange(whole, inLeft, inRight);
        // A mask of ones is the whole image.
        using var everything = ones(32, 48);
        Assert.Equal(whole, SlicedWasserstein.ColorRatio(result, photo, painting, everything), 1e-12);
    }

    [Fact]
    public void TheSsimInsideARegionWeighsOnlyThatRegion()
    {
        Torch.Ready();
        var (photo, result, _, left, right) = Scene();
        double inRight = Ssim.Luminance(result, photo, right);
        double inLeft = Ssim.Luminance(result, photo, left);
        double whole = Ssim.Luminance(result, photo);
        // Windows centred within 5 pixels of the border see both halves; beyond that the photo is untouched.
        using var farRight = zeros(1, 1, 32, 48);
        farRight[.., .., .., 30..] = tensor(1f);
        double untouched = Ssim.Luminance(result, photo, farRight);
        Assert.Equal(1.0, untouched, 1e-9);
        Assert.True(inRight > 0.9, $"the untouched half: {inRight:F4}");
        Assert.True(inLeft < 0.5, $"the repainted half: {inLeft:F4}");
        Assert.InRange(whole, inLeft, inRight);
        using var everything = ones(1, 1, 32, 48);
        Assert.Equal(whole, Ssim.Luminance(result, photo, everything), 1e-12);
    }

    [Fact]
    public void AnEmptyOrMalformedRegionIsRefused()
    {
        Torch.Ready();
        var (photo, result, painting, _, _) = Scene();
        using var nothing = zeros(32, 48);
        Assert.Contains("no pixel", Assert.Throws<NotebookStyleException>(() => SlicedWasserstein.ColorRatio(result, photo, painting, nothing)).Message);
        Assert.Throws<NotebookStyleException>(() => Ssim.Luminance(result, photo, nothing));
        using var rgb = ones(1, 3, 32, 48);
        Assert.Throws<NotebookStyleException>(() => SlicedWasserstein.ColorRatio(result, photo, painting, rgb));
        using var tooBright = full(new long[] { 32, 48 }, 2f);
        Assert.Throws<NotebookStyleException>(() => Ssim.Luminance(result, photo, tooBright));
    }
}
