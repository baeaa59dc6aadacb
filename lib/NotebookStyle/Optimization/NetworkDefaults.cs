using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;

namespace NotebookStyle.Optimization;

/// <summary>
/// What each network stylises well with, per <see cref="StylePreset"/>: the driver's knowledge, kept here so that the
/// networks (Models) know nothing of losses. Read it as <c>network.Defaults</c> or <c>network.DefaultsFor(preset)</c>.
/// </summary>
public static class NetworkDefaults
{
    /// <summary>VGG19, the Keras example's layers: content <c>block5_conv2</c>; style <c>block1_conv1</c> … <c>block5_conv1</c>, equal weights.</summary>
    public static StyleTransferDefaults Vgg19Defaults { get; } = new(
        [
            new("block1_conv1", 1, 0), new("block2_conv1", 1, 0), new("block3_conv1", 1, 0),
            new("block4_conv1", 1, 0), new("block5_conv1", 1, 0), new("block5_conv2", 0, 1),
        ],
        LossNormalization.Paper, ContentWeight: 0.025, StyleWeight: 1.0, TvWeight: 0.0);

    /// <summary>
    /// The ResNet (the offline default), measured with the CNTK ResNet18 over the ../shared/images pairs (README,
    /// "Quality"): content <c>layer2</c>; style <c>relu1</c>, <c>layer1</c> … <c>layer4</c> with equal weights; each term
    /// divided by its target's squared norm; style:content 30:1, a little total variation; and colour from the painting:
    /// the content recoloured to the style's colour distribution (70 % of the way from a mean-and-covariance match to a
    /// full histogram match) is both the start and the content target. Without that, this network keeps the photo's
    /// colours (colour ratio ~1.0).
    /// </summary>
    public static StyleTransferDefaults ResNetDefaults { get; } = new(
        [new("relu1", 1, 0), new("layer1", 1, 0), new("layer2", 1, 1), new("layer3", 1, 0), new("layer4", 1, 0)],
        LossNormalization.TargetNorm, ContentWeight: 1.0, StyleWeight: 30.0, TvWeight: 3e-3,
        Color: ColorMode.Histogram, StyleScale: 1.0, HistogramStrength: 0.7);

    /// <summary>The settings of <paramref name="preset"/> for <paramref name="network"/>.</summary>
    /// <exception cref="NotebookStyleException">A network from outside the library that does not implement <see cref="IHasStyleTransferDefaults"/>.</exception>
    public static StyleTransferDefaults For(FeatureExtractor network, StylePreset preset = StylePreset.Default) => network switch
    {
        ResNet => ResNetPreset(preset),
        Vgg19 => ByStyleWeight(Vgg19Defaults, preset),
        IHasStyleTransferDefaults own => own.DefaultsFor(preset),
        _ => throw new NotebookStyleException(
            $"No style-transfer defaults for {network.NetworkName}: implement {nameof(IHasStyleTransferDefaults)} on it."),
    };

    /// <summary>
    /// The presets of a network that knows no better: <see cref="StylePreset.Strong"/> multiplies the style weight by 5,
    /// <see cref="StylePreset.Subtle"/> divides it by 5.
    /// </summary>
    public static StyleTransferDefaults ByStyleWeight(StyleTransferDefaults defaults, StylePreset preset) => preset switch
    {
        StylePreset.Default => defaults,
        StylePreset.Strong => defaults with { StyleWeight = defaults.StyleWeight * 5 },
        StylePreset.Subtle => defaults with { StyleWeight = defaults.StyleWeight / 5 },
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown preset."),
    };

    /// <summary>
    /// The ResNet's <see cref="StylePreset.Strong"/>: style:content 100:1, strokes from the style at 1.5× the content's
    /// size, the full histogram match, less smoothing. <see cref="StylePreset.Subtle"/>: style:content 10:1,
    /// mean-and-covariance colours only.
    /// </summary>
    private static StyleTransferDefaults ResNetPreset(StylePreset preset) => preset switch
    {
        StylePreset.Default => ResNetDefaults,
        StylePreset.Strong => ResNetDefaults with { StyleWeight = 100.0, TvWeight = 1e-3, StyleScale = 1.5, HistogramStrength = 1.0 },
        StylePreset.Subtle => ResNetDefaults with { StyleWeight = 10.0, Color = ColorMode.Palette },
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown preset."),
    };

    extension(FeatureExtractor network)
    {
        /// <summary>The losses and weights this network stylises well with (its <see cref="StylePreset.Default"/> preset).</summary>
        public StyleTransferDefaults Defaults => For(network);

        /// <summary>The settings of a preset for this network.</summary>
        public StyleTransferDefaults DefaultsFor(StylePreset preset) => For(network, preset);
    }
}
