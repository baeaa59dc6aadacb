namespace NotebookStyle.Losses;

/// <summary>Which statistic of the features the style term matches.</summary>
public enum StyleLossKind
{
    /// <summary>Gram matrices, as the paper (<see cref="StyleLoss"/>).</summary>
    Gram,
    /// <summary>
    /// The Wasserstein-2 distance between the features' Gaussian fits, mean and covariance
    /// (<see cref="WassersteinStyleLoss"/>; crowsonkb/style-transfer-pytorch).
    /// </summary>
    Wasserstein,
}
