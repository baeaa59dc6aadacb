using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Visualization;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Visualization;

public class LossGradientTests
{
    [Fact]
    public void TotalVariationGradientIsZeroOnAFlatImageAndNotOnNoise()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var flat = full(1, 3, 12, 12, 0.5f);
        using var noise = rand(1, 3, 12, 12, generator: new Generator(3));
        var tv = new TotalVariation(1.0);
        using var g0 = LossGradient.Of(net, tv, flat);
        using var g1 = LossGradient.Of(net, tv, noise);
        Assert.Equal(new long[] { 1, 3, 12, 12 }, g0.shape);
        Assert.Equal(0f, g0.abs().max().item<float>());
        Assert.True(g1.abs().max().item<float>() > 0);
    }

    [Fact]
    public void ContentGradientAndItsPicture()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var content = rand(1, 3, 16, 12, generator: new Generator(4));
        using var start = rand(1, 3, 16, 12, generator: new Generator(5));
        using var features = no_grad() is var ng ? net.ExtractRgb(content, ["relu1_1"])["relu1_1"] : null!;
        ng.Dispose();
        var loss = new ContentLoss("relu1_1", features);
        using var g = LossGradient.Of(net, loss, start);
        Assert.True(g.abs().sum().item<float>() > 0);
        using var picture = LossGradient.Render(g);
        Assert.Equal(12, picture.Width);
        Assert.Equal(16, picture.Height);
    }
}
