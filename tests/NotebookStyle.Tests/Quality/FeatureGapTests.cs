using NotebookStyle.Models;
using NotebookStyle.Quality;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Quality;

public class FeatureGapTests
{
    private static readonly string[] Layers = ["relu1_1", "relu2_1"];

    [Theory]
    [InlineData(FeatureStatistic.Gram)]
    [InlineData(FeatureStatistic.Mean)]
    [InlineData(FeatureStatistic.Covariance)]
    public void ThePhotoIsOneAndThePaintingZero(FeatureStatistic statistic)
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var photo = rand(1, 3, 16, 16, generator: new Generator(1));
        using var painting = rand(1, 3, 16, 16, generator: new Generator(2)).mul(0.5);
        Assert.Equal(1.0, FeatureGap.Relative(net, statistic, photo, photo, painting, Layers), 9);
        Assert.Equal(0.0, FeatureGap.Relative(net, statistic, painting, photo, painting, Layers), 9);
        // Half way in pixels is somewhere strictly between.
        using var between = photo.add(painting).div(2);
        double gap = FeatureGap.Relative(net, statistic, between, photo, painting, Layers);
        Assert.InRange(gap, 1e-3, 2.0);
    }

    [Fact]
    public void TheStatisticsAreTheTextbookOnes()
    {
        Torch.Ready();
        // Two channels, four positions: (1, 2, 3, 4) and (0, 0, 2, 2).
        using var f = tensor(new float[] { 1, 2, 3, 4, 0, 0, 2, 2 }).reshape(1, 2, 2, 2);
        Assert.Equal(new[] { 2.5, 1.0 }, FeatureGap.Of(FeatureStatistic.Mean, f).data<double>().ToArray());
        Assert.Equal(new[] { 7.5, 3.5, 3.5, 2.0 }, FeatureGap.Of(FeatureStatistic.Gram, f).data<double>().ToArray());
        Assert.Equal(new[] { 1.25, 1.0, 1.0, 1.0 }, FeatureGap.Of(FeatureStatistic.Covariance, f).data<double>().ToArray());
    }

    [Fact]
    public void NoLayersOrNoGapIsAClearError()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var photo = rand(1, 3, 16, 16, generator: new Generator(1));
        Assert.Throws<NotebookStyleException>(() => FeatureGap.Relative(net, FeatureStatistic.Gram, photo, photo, photo, []));
        var ex = Assert.Throws<NotebookStyleException>(() => FeatureGap.Relative(net, FeatureStatistic.Mean, photo, photo, photo, Layers));
        Assert.Contains("no gap to measure against", ex.Message);
    }
}
