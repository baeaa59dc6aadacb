namespace NotebookStyle.Losses;

/// <summary>What an objective is made of, besides its images: layers, normalisation, the terms' weights and the style term's kind.</summary>
/// <param name="Layers">Layers and their style and content weights.</param>
/// <param name="Normalization">How each term is scaled.</param>
/// <param name="ContentWeight">Weight of the content term.</param>
/// <param name="StyleWeight">Weight of the style term (shared out over the style layers by their weights).</param>
/// <param name="TvWeight">Weight of the total variation (0: none).</param>
/// <param name="TvPower">Exponent of the total variation.</param>
/// <param name="StyleLoss">Gram matrices (the paper's) or the Wasserstein-2 distance.</param>
public sealed record ObjectiveSettings(IReadOnlyList<LayerWeights> Layers, LossNormalization Normalization, double ContentWeight, double StyleWeight,
    double TvWeight, double TvPower = 1.25, StyleLossKind StyleLoss = StyleLossKind.Gram);
