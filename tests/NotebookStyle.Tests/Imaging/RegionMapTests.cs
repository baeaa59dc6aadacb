using NotebookStyle.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

/// <summary>Region maps: one soft mask per flat colour, at the content's size, summing to 1.</summary>
public class RegionMapTests
{
    /// <summary>A 16×24 map: red left third, green middle, blue right third.</summary>
    private static Tensor ThreeBands()
    {
        var map = zeros(1, 3, 16, 24);
        map[0, 0, .., ..8] = tensor(1f);
        map[0, 1, .., 8..16] = tensor(1f);
        map[0, 2, .., 16..] = tensor(1f);
        return map;
    }

    [Fact]
    public void MakesOneSoftMaskPerColourThatSumToOne()
    {
        Torch.Ready();
        using var image = ThreeBands();
        using var map = RegionMap.FromImage(image, 32, 48, blur: 0.05);
        Assert.Equal(["0000ff", "00ff00", "ff0000"], map.Colours);
        Assert.Equal(new long[] { 3, 1, 32, 48 }, map.Masks.shape);
        // (sum over dim 0 as a long[]: sum(0) would pick the ScalarType overload and sum in bytes.)
        double deviation = map.Masks.sum([0L]).sub(1).abs().max().ToDouble();
        Assert.True(deviation < 1e-5, $"masks sum to 1 within {deviation}");
        Assert.True(deviation < 1e-5, $"masks sum to 1 within {deviation}");
        using var red = map.Mask("#FF0000");
        // Deep inside the red band: 1; deep inside the blue band: 0; at the red/green border: soft (a blend, no seam).
        Assert.True(red[0, 0, 16, 2].ToDouble() > 0.99);
        Assert.True(red[0, 0, 16, 45].ToDouble() < 0.01);
        double border = red[0, 0, 16, 16].ToDouble();
        Assert.InRange(border, 0.3, 0.7);
        Assert.Throws<NotebookStyleException>(() => map.Mask("123456"));
    }

    [Fact]
    public void WithoutBlurTheMasksAreTheAreaShares()
    {
        Torch.Ready();
        using var image = ThreeBands();
        using var map = RegionMap.FromImage(image, 8, 12, blur: 0);
        using var green = map.Mask("00ff00");
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0 }, green[0, 0, 3].data<float>().ToArray());
    }

    [Fact]
    public void TooManyColoursAreRefused()
    {
        Torch.Ready();
        using var noise = rand(new long[] { 1, 3, 16, 16 }, generator: new Generator(1));
        var ex = Assert.Throws<NotebookStyleException>(() => RegionMap.FromImage(noise, 16, 16));
        Assert.Contains("anti-aliasing", ex.Message);
    }
}
