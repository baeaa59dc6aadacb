namespace NotebookStyle.Losses;

/// <summary>
/// Which sums over positions a style term reads at one layer (<see cref="PositionSums"/>): the layer, the region's mask
/// (null: every position) and whether the first moment is wanted too (in float64: the Wasserstein term's mean and
/// covariance). Terms with equal statistics share one computation per evaluation (the mask compares by reference).
/// </summary>
/// <param name="Layer">The tapped layer.</param>
/// <param name="Mask">The region's mask at the layer, or null.</param>
/// <param name="Moments">Σ m·f as well as Σ m·f·fᵀ, both in float64 (else Σ m·f·fᵀ alone, in the features' type).</param>
public sealed record LayerStatistic(string Layer, LayerMask? Mask, bool Moments);
