using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Settings are resolved once: the user's values, else the network's preset, checked.</summary>
public class ResolvedSettingsTests(DriverFixture fx) : IClassFixture<DriverFixture>
{
    [Fact]
    public void NullsTakeTheNetworksPresetAndGivenValuesWin()
    {
        using var resnet = new ResNet();
        var strong = NetworkDefaults.For(resnet, StylePreset.Strong);
        var resolved = ResolvedSettings.Resolve(new StyleTransferSettings { Preset = StylePreset.Strong, ContentWeight = 2.5 }, resnet);
        Assert.Equal(2.5, resolved.ContentWeight);
        Assert.Equal(strong.StyleWeight, resolved.StyleWeight);
        Assert.Equal(strong.TvWeight, resolved.TvWeight);
        Assert.Same(strong.Layers, resolved.Layers);
        Assert.Equal(strong.Normalization, resolved.Normalization);
        Assert.Equal(strong.Color, resolved.Color);
        Assert.Equal(strong.StyleScale, resolved.StyleScale);
        Assert.Equal(strong.HistogramStrength, resolved.HistogramStrength);
        var vgg = ResolvedSettings.Resolve(new StyleTransferSettings { Color = ColorMode.Preserve }, fx.Network);
        Assert.Equal(ColorMode.Preserve, vgg.Color);
        Assert.Equal(NetworkDefaults.Vgg19Defaults.ContentWeight, vgg.ContentWeight);
        Assert.Equal(LossNormalization.Paper, vgg.Normalization);
    }

    [Fact]
    public void TheScalePlanGoesCoarseToFineAndOnlyTheFinestHasTheBudget()
    {
        var settings = new StyleTransferSettings { Scales = 3, ScaleFactor = 2, Iterations = 50, CoarseIterations = 20, MaxEvaluations = 70 };
        var scales = ResolvedSettings.Resolve(settings, fx.Network).Scales;
        Assert.Equal([4.0, 2.0, 1.0], scales.Select(s => s.Factor));
        Assert.Equal([20, 20, 50], scales.Select(s => s.Iterations));
        Assert.Equal([null, null, 70], scales.Select(s => s.MaxEvaluations));
        Assert.Equal([false, false, true], scales.Select(s => s.Finest));
        Assert.Equal([0, 1, 2], scales.Select(s => s.Index));
        var single = Assert.Single(ResolvedSettings.Resolve(new StyleTransferSettings { Iterations = 9 }, fx.Network).Scales);
        Assert.Equal(new ScaleStep(0, 1.0, 9, null), single);
    }

    [Theory]
    [InlineData(0, 2.0, null, null)]
    [InlineData(2, 1.0, null, null)]
    [InlineData(1, 2.0, 0.0, null)]
    [InlineData(1, 2.0, 9.0, null)]
    [InlineData(1, 2.0, null, 1.5)]
    public void OutOfRangeSettingsAreNamedErrors(int scales, double factor, double? styleScale, double? strength)
    {
        var settings = new StyleTransferSettings { Scales = scales, ScaleFactor = factor, StyleScale = styleScale, HistogramStrength = strength };
        var ex = Assert.Throws<NotebookStyleException>(() => ResolvedSettings.Resolve(settings, fx.Network));
        Assert.Matches("Scales|ScaleFactor|StyleScale|HistogramStrength", ex.Message);
    }

    [Fact]
    public void ShrinkDividesTheSizeWithAFloorOfEightPixels()
    {
        using var image = TorchSharp.torch.rand(1, 3, 30, 100);
        using var half = ScaleStep.Shrink(image, 2.0);
        Assert.Equal(new long[] { 1, 3, 15, 50 }, half.shape);
        using var tiny = ScaleStep.Shrink(image, 10.0);
        Assert.Equal(new long[] { 1, 3, 8, 10 }, tiny.shape);
        using var same = new ScaleStep(0, 1.0, 1, null).Shrink(image);
        Assert.Equal(image.data<float>().ToArray(), same.data<float>().ToArray());
    }
}
