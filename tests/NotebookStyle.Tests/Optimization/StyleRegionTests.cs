using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Styles per region through the driver, on a seeded random VGG19: each region moves to its own style, a small one too; an unstyled region keeps the photo.</summary>
public class StyleRegionTests(DriverFixture fx, ITestOutputHelper output) : IClassFixture<DriverFixture>
{
    /// <summary>Noise around one colour.</summary>
    private static Tensor Painting(float r, float g, float b, ulong seed)
    {
        var noise = rand(new long[] { 1, 3, 20, 20 }, generator: new Generator(seed)).mul(0.2f).sub(0.1f);
        return tensor(new[] { r, g, b }).view(1, 3, 1, 1).add(noise).clamp(0, 1);
    }

    private static double RedMinusBlue(Tensor image, Range columns) =>
        image[0, 0, .., columns].mean().ToDouble() - image[0, 2, .., columns].mean().ToDouble();

    [Fact]
    public void EachRegionTakesItsOwnStyleAndTheUnstyledOneKeepsThePhoto()
    {
        using var content = full(new long[] { 1, 3, 32, 48 }, 0.5f).add(rand(new long[] { 1, 3, 32, 48 }, generator: new Generator(4)).mul(0.1f));
        using var red = Painting(0.9f, 0.2f, 0.1f, 1);
        using var blue = Painting(0.1f, 0.2f, 0.9f, 2);
        // A narrow red band (columns 0–7), the photo (8–23), a wide blue region (24–47): drawn as a colour map at half size.
        using var drawing = zeros(1, 3, 16, 24);
        drawing[0, 0, .., ..4] = tensor(1f);
        drawing[0, 1, .., 4..12] = tensor(1f);
        drawing[0, 2, .., 12..] = tensor(1f);
        using var map = RegionMap.FromImage(drawing, 32, 48, blur: 0.02);
        using var redMask = map.Mask("ff0000");
        using var blueMask = map.Mask("0000ff");
        var settings = DriverFixture.Settings(15) with { Layers = [new("relu1_1", 1, 0), new("relu2_1", 1, 0), new("relu2_2", 0, 1)], ContentWeight = 1e-3 };
        using var r = StyleTransfer.Run(fx.Network, content, [new StyleRegion(redMask, [new WeightedStyle(red, 1)]), new StyleRegion(blueMask, [new WeightedStyle(blue, 1)])], settings);

        double left = RedMinusBlue(r.Image, ..6), right = RedMinusBlue(r.Image, 28..), photo = RedMinusBlue(r.Image, 12..20);
        using var photoChange = r.Image[.., .., .., 12..20].sub(content[.., .., .., 12..20]).abs();
        using var leftChange = r.Image[.., .., .., ..6].sub(content[.., .., .., ..6]).abs();
        output.WriteLine($"red − blue: red region {left:F3}, photo {photo:F3}, blue region {right:F3}; mean change photo {photoChange.mean().ToDouble():F4}, red region {leftChange.mean().ToDouble():F4}");
        Assert.True(left > 0.15, $"the narrow red region turned red: {left:F3}");
        Assert.True(right < -0.15, $"the blue region turned blue: {right:F3}");
        Assert.True(Math.Abs(photo) < 0.5 * Math.Min(left, -right), $"the photo region stays neutral: {photo:F3}");
        Assert.True(photoChange.mean().ToDouble() < 0.5 * leftChange.mean().ToDouble(), "the photo region changes less than a styled one");
    }

    [Fact]
    public void OneRegionCoveringEverythingIsTheWholeImageRun()
    {
        using var everything = ones(1, 1, 24, 32);
        var s = DriverFixture.Settings(3);
        using var whole = StyleTransfer.Run(fx.Network, fx.Content, fx.Style, s);
        using var region = StyleTransfer.Run(fx.Network, fx.Content, [new StyleRegion(everything, [new WeightedStyle(fx.Style, 1)])], s);
        using var diff = whole.Image.sub(region.Image).abs();
        output.WriteLine($"max pixel difference {diff.max().ToDouble():E2}, loss {whole.Final.Total:G8} vs {region.Final.Total:G8}");
        Assert.True(diff.max().ToDouble() < 1e-3);
        Assert.Equal(whole.Final.Total, region.Final.Total, 1e-4 * whole.Final.Total);
    }
}
