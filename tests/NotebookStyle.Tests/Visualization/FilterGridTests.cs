using NotebookStyle.Models;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Visualization;

public class FilterGridTests
{
    [Fact]
    public void ZeroIsGreyAndChannelsMapToColours()
    {
        Torch.Ready();
        // One 1×2 filter: left pixel +1 in channel 0 only, right pixel all zero.
        var w = zeros(1, 3, 1, 2);
        w[0, 0, 0, 0] = tensor(1f);
        using var rgb = FilterGrid.Render(w, bgr: false, scale: 1, spacing: 0);
        Assert.Equal(new Rgb24(255, 128, 128), rgb[0, 0]);
        Assert.Equal(new Rgb24(128, 128, 128), rgb[1, 0]);
        using var bgr = FilterGrid.Render(w, bgr: true, scale: 1, spacing: 0);
        Assert.Equal(new Rgb24(128, 128, 255), bgr[0, 0]);
    }

    [Fact]
    public void GridLayoutAndFirstLayerOfVgg()
    {
        Torch.Ready();
        using var w = randn(10, 3, 3, 3);
        using var img = FilterGrid.Render(w, count: 10, columns: 4, scale: 2, spacing: 1);
        Assert.Equal(4 * 6 + 5, img.Width);
        Assert.Equal(3 * 6 + 4, img.Height);
        using var net = new Vgg19(seed: 2);
        Assert.Equal(new long[] { 64, 3, 3, 3 }, FilterGrid.FirstConvolution(net).weight!.shape);
        using var first = FilterGrid.FirstLayer(net, count: 16, columns: 8, scale: 4);
        Assert.Equal(8 * 12 + 9 * 2, first.Width);
    }

    [Fact]
    public void NotConvolutionWeightsIsANamedError()
    {
        Torch.Ready();
        using var w = zeros(3, 3);
        Assert.Throws<NotebookStyleException>(() => FilterGrid.Render(w));
    }

    [Fact]
    public void NeighbourCorrelationTellsSmoothFiltersFromRandomOnes()
    {
        Torch.Ready();
        using var scope = NewDisposeScope();
        var random = randn(64, 3, 7, 7, generator: new Generator(1));
        var smooth = nn.functional.interpolate(randn(64, 3, 3, 3, generator: new Generator(2)), [7, 7], mode: InterpolationMode.Bilinear, align_corners: true);
        double r = FilterGrid.NeighbourCorrelation(random), s = FilterGrid.NeighbourCorrelation(smooth);
        Assert.True(Math.Abs(r) < 0.1, $"random: {r}");
        Assert.True(s > 0.7, $"smooth: {s}");
        Assert.Throws<NotebookStyleException>(() => FilterGrid.NeighbourCorrelation(randn(4, 3, 1, 1)));
    }

    [Fact]
    public void ThePretrainedResNetsFirstFiltersAreSmoothAndItsRandomTwinsAreNot()
    {
        Torch.Ready();
        using var trained = NotebookStyle.Weights.Networks.Load(NotebookStyle.Weights.NetworkChoice.ResNet18, CPU).Network;
        using var random = NotebookStyle.Weights.Networks.Load(NotebookStyle.Weights.NetworkChoice.ResNet18, CPU, new NotebookStyle.Weights.NetworkOptions { RandomSeed = 1 }).Network;
        double t = FilterGrid.NeighbourCorrelation(trained), r = FilterGrid.NeighbourCorrelation(random);
        Assert.True(t > 0.35, $"trained: {t} (measured 0.45)");
        Assert.True(Math.Abs(r) < 0.1, $"random: {r}");
    }
}
