using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// One scale of a coarse-to-fine run: the images shrunk by <paramref name="Factor"/>, optimised for
/// <paramref name="Iterations"/>, the result upsampled as the next scale's start.
/// </summary>
/// <param name="Index">0 for the coarsest.</param>
/// <param name="Factor">The content's size divided by this scale's (1 at the finest).</param>
/// <param name="Iterations">Iterations at this scale.</param>
/// <param name="MaxEvaluations">Evaluation budget at this scale (only the finest has one).</param>
/// <param name="HistorySize">L-BFGS pairs kept at this scale (null: the settings'; a memory budget may lower it further).</param>
public sealed record ScaleStep(int Index, double Factor, int Iterations, int? MaxEvaluations, int? HistorySize = null)
{
    /// <summary>Whether this is the content's own size, the last scale.</summary>
    public bool Finest => Factor == 1.0;

    /// <summary>
    /// The scales of a run: scale k of n at the content's size divided by <paramref name="factor"/>^(n−1−k); the
    /// coarser ones run <paramref name="coarseIterations"/> without a budget, the finest <paramref name="iterations"/>
    /// within <paramref name="maxEvaluations"/>.
    /// </summary>
    public static IReadOnlyList<ScaleStep> Plan(int scales, double factor, int iterations, int coarseIterations, int? maxEvaluations) =>
        [.. Enumerable.Range(0, scales).Select(k => k == scales - 1
            ? new ScaleStep(k, 1.0, iterations, maxEvaluations)
            : new ScaleStep(k, Math.Pow(factor, scales - 1 - k), coarseIterations, null))];

    /// <summary>The image at this scale (<see cref="Shrink(Tensor, double)"/> by <see cref="Factor"/>).</summary>
    public Tensor Shrink(Tensor image) => Shrink(image, Factor);

    /// <summary>
    /// An image [N, C, H, W] divided in size by <paramref name="factor"/>: area interpolation (no aliasing), sides
    /// rounded and at least 8 pixels; an alias of the image itself at factor 1.
    /// </summary>
    public static Tensor Shrink(Tensor image, double factor)
    {
        if (factor == 1.0) return image.alias();
        long height = Math.Max(8, (long)Math.Round(image.shape[2] / factor)), width = Math.Max(8, (long)Math.Round(image.shape[3] / factor));
        using var _ = no_grad();
        return nn.functional.interpolate(image, [height, width], mode: InterpolationMode.Area);
    }
}
