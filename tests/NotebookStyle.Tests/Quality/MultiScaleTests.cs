using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Quality;

public class MultiScaleTests
{
    [Fact]
    public void CoarseToFineRunsEveryScaleAndEndsAtTheContentSize()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var content = rand([1, 3, 36, 52], generator: new Generator(1));
        using var style = rand([1, 3, 40, 40], generator: new Generator(2));
        var settings = new StyleTransferSettings { Iterations = 3, CoarseIterations = 2, Scales = 2, Seed = 1 };
        var seen = new List<StyleTransferProgress>();
        using var result = StyleTransfer.Run(net, content, style, settings, seen.Add);
        Assert.Equal(content.shape, result.Image.shape);
        Assert.Equal([0, 0, 1, 1, 1], seen.Select(p => p.Scale));
        Assert.Equal((26, 18), (seen[0].Width, seen[0].Height));
        Assert.Equal((52, 36), (seen[^1].Width, seen[^1].Height));
        Assert.Equal(5, result.Iterations);
        Assert.Equal(5, result.History.Count);
        Assert.True(result.Final.Total < result.Initial.Total);
    }

    [Fact]
    public void PaletteAndPreserveChangeColourAsAsked()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var content = ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 48);
        using var style = ImageTensor.Load(TestPaths.SharedImage("starry_night.jpg"), 48);
        var s = new StyleTransferSettings { Iterations = 2, Seed = 1 };
        using var palette = StyleTransfer.Run(net, content, style, s with { Color = ColorMode.Palette });
        using var preserve = StyleTransfer.Run(net, content, style, s with { Color = ColorMode.Preserve });
        double paletteRatio = NotebookStyle.Quality.SlicedWasserstein.ColorRatio(palette.Image, content, style);
        double preserveRatio = NotebookStyle.Quality.SlicedWasserstein.ColorRatio(preserve.Image, content, style);
        Assert.True(paletteRatio < 0.5, $"palette colour ratio {paletteRatio}");
        Assert.True(preserveRatio > 0.7, $"preserve colour ratio {preserveRatio}");
    }
}
