using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Lesson 06's check of Gram against Wasserstein (<see cref="ControlExperiments.StyleLosses"/>) at the same settings.
/// What differs depends on how the network's loss terms are scaled. With each term divided by its target's squared
/// norm (<see cref="LossNormalization.TargetNorm"/>, the offline ResNet) both terms pull comparably. A Gram matrix
/// holds uncentred second moments, covariance plus the means' product, so a Gram match can trade one for the other;
/// the Wasserstein term matches means and covariances separately, and brings the features' covariances nearer the
/// painting's than Gram does (<see cref="FeatureGap"/>, <see cref="FeatureStatistic.Covariance"/>). This holds from a
/// short run to a long one; the channel means alone do not tell them apart once Gram has converged too. With the
/// paper's scaling (VGG19) the style weight tuned for Gram leaves the Wasserstein term far weaker: its result stays
/// much nearer the photo (a higher SSIM). The printed line names the case.
/// </summary>
public static class StyleLossComparison
{
    /// <summary>The smallest fall of the covariance gap that counts (TargetNorm).</summary>
    public const double CovarianceGapFall = 0.02;

    /// <summary>The smallest rise of SSIM to the photo that counts (the paper's scaling).</summary>
    public const double SsimRise = 0.1;

    /// <summary>Checks the difference the lesson claims and prints its line (<see cref="Demonstration"/>).</summary>
    /// <param name="network">The network the run used.</param>
    /// <param name="run">The outcome of <see cref="ControlExperiments.StyleLosses"/>: one Gram and one Wasserstein result.</param>
    /// <param name="photo">The photo.</param>
    /// <param name="painting">The painting.</param>
    /// <param name="baseline">The settings the run started from.</param>
    /// <param name="log">Where the line goes (default: the cell's output).</param>
    /// <returns>The line printed.</returns>
    /// <exception cref="DemonstrationFailedException">The difference did not show.</exception>
    /// <exception cref="NotebookStyleException">The run lacks a Gram or a Wasserstein result.</exception>
    public static string Expect(FeatureExtractor network, ExperimentOutcome run, Tensor photo, Painting painting, StyleTransferSettings baseline, Action<string>? log = null)
    {
        ExperimentResult Of(StyleLossKind kind) => run.Results.FirstOrDefault(r => r.Experiment.Settings.StyleLoss == kind)
            ?? throw new NotebookStyleException($"The run has no {kind} result; run ControlExperiments.StyleLosses.");
        var gram = Of(StyleLossKind.Gram);
        var wasserstein = Of(StyleLossKind.Wasserstein);
        var defaults = network.DefaultsFor(baseline.Preset);
        if ((baseline.Normalization ?? defaults.Normalization) == LossNormalization.TargetNorm)
        {
            var layers = (baseline.Layers ?? defaults.Layers).Where(l => l.StyleWeight != 0).Select(l => l.Layer).ToList();
            double CovarianceGap(ExperimentResult r) => FeatureGap.Relative(network, FeatureStatistic.Covariance, r.Image, photo, painting.Image, layers);
            return Demonstration.Falls(
                $"terms scaled by their targets ({network.NetworkName}): Wasserstein brings the channel covariances at {string.Join("+", layers)} nearer {painting.Name}'s than Gram (covariance gap, Gram → Wasserstein)",
                CovarianceGap(gram), CovarianceGap(wasserstein), CovarianceGapFall, log);
        }
        return Demonstration.Rises(
            $"the paper's scaling ({network.NetworkName}): at Gram's style weight the Wasserstein term hardly leaves the photo (SSIM to it, Gram → Wasserstein)",
            gram.Quality.Ssim, wasserstein.Quality.Ssim, SsimRise, log);
    }
}
