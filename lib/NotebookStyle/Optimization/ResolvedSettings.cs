using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// Every setting of one run, complete and checked: what the user set in <see cref="StyleTransferSettings"/>, and for
/// everything left null the network's <see cref="StylePreset"/> defaults (<see cref="NetworkDefaults.For"/>). The
/// driver reads only this; the defaults are looked up once, here.
/// </summary>
public sealed record ResolvedSettings
{
    /// <summary>The preset that filled the settings left null.</summary>
    public required StylePreset Preset { get; init; }

    /// <summary>L-BFGS or Adam.</summary>
    public required OptimizerKind Optimizer { get; init; }

    /// <summary>Where the optimisation starts.</summary>
    public required InitKind Init { get; init; }

    /// <summary>Layers and their style and content weights.</summary>
    public required IReadOnlyList<LayerWeights> Layers { get; init; }

    /// <summary>How each loss term is scaled.</summary>
    public required LossNormalization Normalization { get; init; }

    /// <summary>Gram matrices (the paper's) or the Wasserstein-2 distance between the features' Gaussian fits.</summary>
    public StyleLossKind StyleLoss { get; init; } = StyleLossKind.Gram;

    /// <summary>Weight of the content term.</summary>
    public required double ContentWeight { get; init; }

    /// <summary>Weight of the style term.</summary>
    public required double StyleWeight { get; init; }

    /// <summary>Weight of the total-variation term.</summary>
    public required double TvWeight { get; init; }

    /// <summary>Exponent of the total variation.</summary>
    public required double TvPower { get; init; }

    /// <summary>Seed of the noise initialisation, the histogram match and torch's generator.</summary>
    public required long Seed { get; init; }

    /// <summary>Adam's learning rate.</summary>
    public required double AdamLearningRate { get; init; }

    /// <summary>L-BFGS settings.</summary>
    public required LbfgsOptions Lbfgs { get; init; }

    /// <summary>Keep pixels in [0, 1] (after every Adam step; for L-BFGS at the end).</summary>
    public required bool Clamp { get; init; }

    /// <summary>Attach the current image to every n-th progress report (0: never).</summary>
    public required int ImageEvery { get; init; }

    /// <summary>Colour handling.</summary>
    public required ColorMode Color { get; init; }

    /// <summary>For <see cref="ColorMode.Histogram"/>: 1 the full histogram match, 0 mean and covariance only.</summary>
    public required double HistogramStrength { get; init; }

    /// <summary>The style image's long side relative to the content's.</summary>
    public required double StyleScale { get; init; }

    /// <summary>The scales of the run, coarsest first; the last is the content's own size, with the run's iterations and evaluation budget.</summary>
    public required IReadOnlyList<ScaleStep> Scales { get; init; }

    /// <summary>Tiled evaluation, when asked for (see <see cref="MemoryPlan"/>).</summary>
    public TilingSettings? Tiling { get; init; }

    /// <summary>Fills every null of <paramref name="settings"/> from <paramref name="network"/>'s preset and checks the result.</summary>
    /// <param name="settings">What the user set.</param>
    /// <param name="network">The network whose preset fills the rest.</param>
    /// <param name="contentLongSide">The content's long side: with <see cref="StyleTransferSettings.Scales"/> null, above
    /// <see cref="PosterSchedule.AutomaticAbove"/> the run follows the <see cref="PosterSchedule"/> (null: one scale).</param>
    /// <exception cref="NotebookStyleException">A setting out of range; the message names it.</exception>
    public static ResolvedSettings Resolve(StyleTransferSettings settings, FeatureExtractor network, long? contentLongSide = null)
    {
        if (settings.Scales < 1) throw new NotebookStyleException($"Scales must be at least 1, got {settings.Scales}.");
        if (settings.Scales > 1 && settings.ScaleFactor <= 1) throw new NotebookStyleException($"ScaleFactor must be above 1, got {settings.ScaleFactor}.");
        var defaults = NetworkDefaults.For(network, settings.Preset);
        var resolved = new ResolvedSettings
        {
            Preset = settings.Preset,
            Optimizer = settings.Optimizer,
            Init = settings.Init,
            Layers = settings.Layers ?? defaults.Layers,
            Normalization = settings.Normalization ?? defaults.Normalization,
            StyleLoss = settings.StyleLoss,
            ContentWeight = settings.ContentWeight ?? defaults.ContentWeight,
            StyleWeight = settings.StyleWeight ?? defaults.StyleWeight,
            TvWeight = settings.TvWeight ?? defaults.TvWeight,
            TvPower = settings.TvPower,
            Seed = settings.Seed,
            AdamLearningRate = settings.AdamLearningRate,
            Lbfgs = settings.Lbfgs,
            Clamp = settings.Clamp,
            ImageEvery = settings.ImageEvery,
            Color = settings.Color ?? defaults.Color,
            HistogramStrength = settings.HistogramStrength ?? defaults.HistogramStrength,
            StyleScale = settings.StyleScale ?? defaults.StyleScale,
            Tiling = settings.Tiling,
            Scales = settings.Scales is int scales
                ? ScaleStep.Plan(scales, settings.ScaleFactor, settings.Iterations, settings.CoarseIterations ?? settings.Iterations, settings.MaxEvaluations)
                : PosterSchedule.Plan(contentLongSide ?? 0, settings.Iterations, settings.MaxEvaluations, settings.Lbfgs.HistorySize),
        };
        if (!(resolved.StyleScale > 0 && resolved.StyleScale <= 8))
            throw new NotebookStyleException($"StyleScale must be in (0, 8], got {resolved.StyleScale}.");
        if (!(resolved.HistogramStrength >= 0 && resolved.HistogramStrength <= 1))
            throw new NotebookStyleException($"HistogramStrength must be in [0, 1], got {resolved.HistogramStrength}.");
        return resolved;
    }

    /// <summary>
    /// The objective for one content target and one style image (RGB [0, 1] on the network's device) with these
    /// settings' layers, normalisation and weights: the driver's, at each scale.
    /// </summary>
    public StyleTransferObjective CreateObjective(FeatureExtractor network, Tensor content, Tensor style) =>
        CreateObjective(network, content, [new WeightedStyle(style, 1.0)]);

    /// <summary>The objective for one content target and a blend of styles (one region covering the image).</summary>
    public StyleTransferObjective CreateObjective(FeatureExtractor network, Tensor content, IReadOnlyList<WeightedStyle> styles) =>
        CreateObjective(network, content, [new StyleRegion(null, styles)]);

    /// <summary>The objective for one content target and styles per region (<see cref="StyleTransferObjective.Create(FeatureExtractor, Tensor, IReadOnlyList{StyleRegion}, ObjectiveSettings, int?)"/>).</summary>
    /// <param name="network">The feature extractor.</param>
    /// <param name="content">The content target.</param>
    /// <param name="regions">The regions and their styles.</param>
    /// <param name="targetTileSize">Compute the targets in tiles of about this many pixels (null: whole images).</param>
    public StyleTransferObjective CreateObjective(FeatureExtractor network, Tensor content, IReadOnlyList<StyleRegion> regions, int? targetTileSize = null) =>
        StyleTransferObjective.Create(network, content, regions, Objective, targetTileSize);

    /// <summary>The objective's layers, normalisation, weights and style term.</summary>
    public ObjectiveSettings Objective => new(Layers, Normalization, ContentWeight, StyleWeight, TvWeight, TvPower, StyleLoss);

    /// <summary>The layers with a style or content weight: what the network is tapped at.</summary>
    public IEnumerable<string> Taps => Layers.Where(l => l.StyleWeight != 0 || l.ContentWeight != 0).Select(l => l.Layer).Distinct();
}
