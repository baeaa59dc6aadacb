using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// The lessons' check cells: one method per exercise. Each runs the learner's code on tiny seeded inputs (CPU, well
/// under a second, except where a style transfer must be measured) and returns "✔ …", or throws
/// <see cref="ExerciseCheckException"/> with "✘ …" saying precisely what is wrong. The checks themselves, with their
/// outcomes as values, are <see cref="TappedForwardCheck"/>, <see cref="StyleLossCheck"/>, <see cref="TotalVariationCheck"/>,
/// <see cref="OptimisationLoopCheck"/>, <see cref="LowSsimCheck"/> and <see cref="RegionMapCheck"/>.
/// </summary>
public static class Check
{
    /// <summary>Lesson 02: the tapped forward pass.</summary>
    /// <exception cref="ExerciseCheckException">The answer is wrong.</exception>
    public static string TappedForward(TappedForwardCheck.TappedForward answer) => TappedForwardCheck.Evaluate(answer).Require();

    /// <summary>Lesson 03: the style loss of one layer, Σ(G − A)² / (4·N²·M²).</summary>
    /// <exception cref="ExerciseCheckException">The answer is wrong.</exception>
    public static string StyleLayerLoss(Func<Tensor, Tensor, Tensor> answer) => StyleLossCheck.Evaluate(answer).Require();

    /// <summary>Lesson 03: total variation, Σ((x[i,j] − x[i+1,j])² + (x[i,j] − x[i,j+1])²)^p.</summary>
    /// <exception cref="ExerciseCheckException">The answer is wrong.</exception>
    public static string TotalVariation(Func<Tensor, double, Tensor> answer) => TotalVariationCheck.Evaluate(answer).Require();

    /// <summary>Lesson 04: the loop with the clamp and the best image.</summary>
    /// <exception cref="ExerciseCheckException">The answer is wrong.</exception>
    public static string OptimisationLoop(OptimisationLoopCheck.Loop answer) => OptimisationLoopCheck.Evaluate(answer).Require();

    /// <summary>Lesson 05: settings that take the SSIM to the photo below 0.3.</summary>
    /// <exception cref="ExerciseCheckException">The answer is wrong.</exception>
    public static string LowSsim(FeatureExtractor network, Tensor content, Tensor style, StyleTransferSettings baseline,
        Func<StyleTransferSettings, StyleTransferSettings> answer) =>
        LowSsimCheck.Evaluate(network, content, style, baseline, answer).Require();

    /// <summary>Lesson 06: a two-region map painted in code whose regions' colour ratios flip with the paintings.</summary>
    /// <exception cref="ExerciseCheckException">The answer is wrong.</exception>
    public static string RegionMap(FeatureExtractor network, Tensor photo, Painting first, Painting second, StyleTransferSettings baseline,
        Func<long, long, Tensor> answer) =>
        RegionMapCheck.Evaluate(network, photo, first, second, baseline, answer).Require();
}
