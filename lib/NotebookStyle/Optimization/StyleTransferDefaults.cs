using NotebookStyle.Imaging;
using NotebookStyle.Losses;

namespace NotebookStyle.Optimization;

/// <summary>What a network stylises well with: layers, normalisation and weights. Settings left null fall back to these.</summary>
/// <param name="Layers">Style and content weights per tapped layer.</param>
/// <param name="Normalization">How each loss term is scaled.</param>
/// <param name="ContentWeight">Weight of the content term.</param>
/// <param name="StyleWeight">Weight of the style term.</param>
/// <param name="TvWeight">Weight of the total-variation term.</param>
/// <param name="Color">How colour is handled by default.</param>
/// <param name="StyleScale">The style image's long side relative to the content's (larger: larger strokes).</param>
/// <param name="HistogramStrength">For <see cref="ColorMode.Histogram"/>: 1 the full histogram match, 0 mean and covariance only.</param>
public sealed record StyleTransferDefaults(IReadOnlyList<LayerWeights> Layers, LossNormalization Normalization, double ContentWeight, double StyleWeight, double TvWeight,
    ColorMode Color = ColorMode.None, double StyleScale = 1.0, double HistogramStrength = 1.0);
