using NotebookStyle.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

/// <summary>The colour target of a style blend: pixels in proportion to the weights.</summary>
public class PaletteBlendTests
{
    private static Tensor Solid(float r, float g, float b, long h, long w) =>
        tensor(new[] { r, g, b }).view(1, 3, 1, 1).expand(1, 3, h, w).contiguous();

    [Fact]
    public void TakesPixelsInProportionToTheWeights()
    {
        Torch.Ready();
        using var red = Solid(1, 0, 0, 10, 10);
        using var blue = Solid(0, 0, 1, 4, 5);   // fewer pixels than its share: repeated permutations
        using var palette = PaletteBlend.Create([(red, 3.0), (blue, 1.0)], seed: 7);
        Assert.Equal(new long[] { 1, 3, 1, 100 }, palette.shape);
        Assert.Equal(0.75, palette[0, 0].mean().ToDouble(), 6);
        Assert.Equal(0.25, palette[0, 2].mean().ToDouble(), 6);
    }

    [Fact]
    public void ASingleStyleOfWeightAboveZeroIsItsOwnPalette()
    {
        Torch.Ready();
        using var a = rand(1, 3, 6, 7);
        using var b = rand(1, 3, 5, 5);
        using var palette = PaletteBlend.Create([(a, 1.0), (b, 0.0)]);
        Assert.Equal(a.data<float>().ToArray(), palette.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => PaletteBlend.Create([(a, 0.0), (b, 0.0)]));
        Assert.Throws<ArgumentException>(() => PaletteBlend.Create([(a, -1.0), (b, 2.0)]));
    }
}
