using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;

namespace NotebookStyle.Optimization;

/// <summary>
/// Everything one style-transfer run needs besides the images and the network. Properties left null take the
/// network's <see cref="StyleTransferDefaults"/> for the chosen <see cref="Preset"/> (<see cref="NetworkDefaults.For"/>).
/// </summary>
public sealed record StyleTransferSettings
{
    /// <summary>Which of the network's presets fills the properties left null: default, strong or subtle.</summary>
    public StylePreset Preset { get; init; } = StylePreset.Default;

    /// <summary>Optimiser iterations (L-BFGS iterations or Adam steps).</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>
    /// Spend at most this many loss-and-gradient evaluations (null: no limit). A line search that would need more stops
    /// the run there, and the result is the best image seen.
    /// </summary>
    public int? MaxEvaluations { get; init; }

    /// <summary>L-BFGS (default) or Adam.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Lbfgs;

    /// <summary>Start from the content image (default), seeded noise or the style image.</summary>
    public InitKind Init { get; init; } = InitKind.Content;

    /// <summary>Weight of the content term (null: network default).</summary>
    public double? ContentWeight { get; init; }

    /// <summary>Weight of the style term (null: network default).</summary>
    public double? StyleWeight { get; init; }

    /// <summary>Weight of the total-variation term (null: network default).</summary>
    public double? TvWeight { get; init; }

    /// <summary>Exponent of the total variation: 1.25 the Keras example's, 1 plain squared TV.</summary>
    public double TvPower { get; init; } = 1.25;

    /// <summary>Layers and their weights (null: network default).</summary>
    public IReadOnlyList<LayerWeights>? Layers { get; init; }

    /// <summary>Loss normalisation (null: network default).</summary>
    public LossNormalization? Normalization { get; init; }

    /// <summary>
    /// The style term: Gram matrices (default, the paper's) or the Wasserstein-2 distance between Gaussian fits of the
    /// features (mean and covariance; crowsonkb/style-transfer-pytorch). The style weights are tuned for Gram.
    /// </summary>
    public StyleLossKind StyleLoss { get; init; } = StyleLossKind.Gram;

    /// <summary>Seed of the noise initialisation and of torch's generator.</summary>
    public long Seed { get; init; }

    /// <summary>Adam's learning rate, in RGB [0, 1] units.</summary>
    public double AdamLearningRate { get; init; } = 0.02;

    /// <summary>L-BFGS settings (PyTorch's defaults with strong Wolfe).</summary>
    public LbfgsOptions Lbfgs { get; init; } = new();

    /// <summary>
    /// Keep pixels in [0, 1]: after every Adam step; for L-BFGS only at the end, because clamping between
    /// iterations would invalidate its curvature pairs (deviation from a projected method, as PyTorch users do).
    /// </summary>
    public bool Clamp { get; init; } = true;

    /// <summary>Attach the current image to every n-th progress report (0: never).</summary>
    public int ImageEvery { get; init; }

    /// <summary>Colour handling (null: the preset's): none, the style's palette or colour distribution, or the photo's colours.</summary>
    public ColorMode? Color { get; init; }

    /// <summary>For <see cref="ColorMode.Histogram"/>, in [0, 1]: 1 the full histogram match, 0 mean and covariance only (null: the preset's).</summary>
    public double? HistogramStrength { get; init; }

    /// <summary>
    /// The style image's long side relative to the content's (null: the preset's). The driver resizes the style image to
    /// it: larger gives larger strokes. Pass the style image at full resolution.
    /// </summary>
    public double? StyleScale { get; init; }

    /// <summary>
    /// Coarse-to-fine: the number of scales (1: single scale). Scale k of n runs at the content's size divided by
    /// <see cref="ScaleFactor"/>^(n−1−k), starting from the previous scale's result upsampled. Null (the default):
    /// automatic, one scale up to <see cref="PosterSchedule.AutomaticAbove"/> px and the poster schedule above it
    /// (<see cref="PosterSchedule"/>: 512 → 1024 → 2048 → 4096, fewer iterations and a shorter L-BFGS history at the
    /// larger sizes; <see cref="Iterations"/> is then the coarsest scale's).
    /// </summary>
    public int? Scales { get; init; }

    /// <summary>Size ratio between successive scales.</summary>
    public double ScaleFactor { get; init; } = 2.0;

    /// <summary>Tiled evaluation for poster sizes: a tile size, a memory budget or both (null: whole image).</summary>
    public TilingSettings? Tiling { get; init; }

    /// <summary>Iterations at each coarser scale (null: <see cref="Iterations"/>); the finest scale always runs <see cref="Iterations"/>.</summary>
    public int? CoarseIterations { get; init; }
}
