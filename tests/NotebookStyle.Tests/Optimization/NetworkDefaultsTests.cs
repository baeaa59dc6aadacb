using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Per-network defaults live with the driver; networks from outside the library bring their own.</summary>
public class NetworkDefaultsTests(DriverFixture fx) : IClassFixture<DriverFixture>
{
    private sealed class Bare() : FeatureExtractor("bare", Preprocessing.Torchvision)
    {
        public override string NetworkName => "bare";

        public override IEnumerable<SummaryLayer> SummaryLayers() => [];
    }

    private sealed class TinyWithDefaults() : FeatureExtractor("tiny", Preprocessing.Torchvision), IHasStyleTransferDefaults
    {
        public override string NetworkName => "tiny";

        public StyleTransferDefaults Defaults { get; } = new([new("x", 1, 1)], LossNormalization.TargetNorm, 1, 10, 0);

        public override IEnumerable<SummaryLayer> SummaryLayers() => [];
    }

    [Fact]
    public void Vgg19HasTheKerasExamplesSettingsAndPresetsScaleTheStyleWeight()
    {
        Assert.Same(NetworkDefaults.Vgg19Defaults, fx.Network.Defaults);
        Assert.Equal(["block5_conv2"], fx.Network.Defaults.Layers.Where(l => l.ContentWeight > 0).Select(l => l.Layer));
        Assert.Equal(5.0, fx.Network.DefaultsFor(StylePreset.Strong).StyleWeight);
        Assert.Equal(0.2, fx.Network.DefaultsFor(StylePreset.Subtle).StyleWeight);
        foreach (var layer in fx.Network.Defaults.Layers) fx.Network.Resolve(layer.Layer);
    }

    [Fact]
    public void AnOutsideNetworkBringsItsOwnDefaultsOrGetsANamedError()
    {
        Torch.Ready();
        using var own = new TinyWithDefaults();
        FeatureExtractor asExtractor = own;
        Assert.Same(own.Defaults, asExtractor.Defaults);
        Assert.Equal(50.0, asExtractor.DefaultsFor(StylePreset.Strong).StyleWeight);
        using var bare = new Bare();
        var ex = Assert.Throws<NotebookStyleException>(() => NetworkDefaults.For(bare));
        Assert.Contains(nameof(IHasStyleTransferDefaults), ex.Message);
    }
}
