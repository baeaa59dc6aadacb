using NotebookStyle.Losses;
using NotebookStyle.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>Which statistic of a layer's features <see cref="FeatureGap"/> compares.</summary>
public enum FeatureStatistic
{
    /// <summary>The Gram matrix per position, F·Fᵀ / M: uncentred second moments (what Gatys' loss matches).</summary>
    Gram,

    /// <summary>The mean of each channel over the positions (what the Wasserstein loss matches separately).</summary>
    Mean,

    /// <summary>The covariance of the channels over the positions (centred second moments; the Wasserstein loss matches it apart from the means).</summary>
    Covariance,
}

/// <summary>
/// How far a result's feature statistics are from a painting's, as a share of how far the photo's are: for the chosen
/// layers, Σₗ ‖sₗ(result) − sₗ(painting)‖² / ‖sₗ(painting)‖² divided by the same sum for the photo. 1: as far from the
/// painting as the photo was; 0: the painting's statistic exactly; above 1: further than the photo. The figure the
/// lessons use to show which statistics a style term moved (scale control: the fine layers' Gram matrices; Gram against
/// Wasserstein: the channel covariances).
/// </summary>
public static class FeatureGap
{
    /// <summary>The gap of <paramref name="result"/> to <paramref name="painting"/> in <paramref name="statistic"/> at <paramref name="layers"/>, relative to <paramref name="photo"/>'s.</summary>
    /// <param name="network">The network whose features are compared.</param>
    /// <param name="statistic">What is compared.</param>
    /// <param name="result">RGB [0, 1] [1, 3, H, W].</param>
    /// <param name="photo">The photo the result came from (its gap is the unit).</param>
    /// <param name="painting">The painting (any size).</param>
    /// <param name="layers">The layers, at least one.</param>
    /// <exception cref="NotebookStyleException">No layers, or the photo's statistics already equal the painting's (nothing to measure against).</exception>
    public static double Relative(FeatureExtractor network, FeatureStatistic statistic, Tensor result, Tensor photo, Tensor painting, IReadOnlyList<string> layers)
    {
        if (layers.Count == 0) throw new NotebookStyleException("Give at least one layer to compare feature statistics at.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = network.Device;
        var r = network.ExtractRgb(result.detach().to(device), layers);
        var c = network.ExtractRgb(photo.detach().to(device), layers);
        var p = network.ExtractRgb(painting.detach().to(device), layers);
        double gap = 0, unit = 0;
        foreach (var layer in layers)
        {
            var target = Of(statistic, p[layer]);
            double scale = target.pow(2).sum().item<double>();
            if (!(scale > 0)) scale = 1;
            gap += Of(statistic, r[layer]).sub(target).pow(2).sum().item<double>() / scale;
            unit += Of(statistic, c[layer]).sub(target).pow(2).sum().item<double>() / scale;
        }
        if (!(unit > 0))
            throw new NotebookStyleException($"The photo's {statistic} statistics at {string.Join(", ", layers)} already equal the painting's: there is no gap to measure against.");
        return gap / unit;
    }

    /// <summary>One layer's statistic, in float64, from its features [1, N, h, w].</summary>
    public static Tensor Of(FeatureStatistic statistic, Tensor features)
    {
        var f = GramMatrix.Flatten(features).to_type(ScalarType.Float64); // N × M
        long m = f.shape[1];
        switch (statistic)
        {
            case FeatureStatistic.Gram: return f.matmul(f.t()).div(m);
            case FeatureStatistic.Mean: return f.mean([1]);
            case FeatureStatistic.Covariance:
                var centred = f.sub(f.mean([1], keepdim: true));
                return centred.matmul(centred.t()).div(m);
            default: throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "Unknown statistic.");
        }
    }
}
