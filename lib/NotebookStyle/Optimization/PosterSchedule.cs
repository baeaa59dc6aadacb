namespace NotebookStyle.Optimization;

/// <summary>
/// The coarse-to-fine recipe for large images, as neural-style's multi-GPU example scripts do by hand: the picture is
/// made at about <see cref="CoarsestSide"/> px, where the network's receptive fields see its large structures, then
/// doubled scale by scale up to the wanted size, each larger scale refining the strokes with fewer iterations and a
/// shorter L-BFGS history (each pair costs two image-sized vectors). Used when <see cref="StyleTransferSettings.Scales"/>
/// is null and the content's long side is above <see cref="AutomaticAbove"/>.
/// </summary>
public static class PosterSchedule
{
    /// <summary>The long side the coarsest scale aims at.</summary>
    public const int CoarsestSide = 512;

    /// <summary>Up to this long side a run with <see cref="StyleTransferSettings.Scales"/> null has one scale.</summary>
    public const int AutomaticAbove = 1024;

    /// <summary>The fewest iterations a refining scale runs.</summary>
    public const int MinimumIterations = 10;

    /// <summary>
    /// The scales for a content of <paramref name="longSide"/> px: n = 1 + round(log2(longSide / 512)) scales with
    /// factor 2 (one scale up to <see cref="AutomaticAbove"/>). Scale j (0 the coarsest) runs
    /// <paramref name="iterations"/> at j = 0 and max(10, 0.3·iterations / 2^(j−1)) above, keeps
    /// <paramref name="historySize"/> / 2^j L-BFGS pairs (at least 5); the finest has the evaluation budget.
    /// For 4096 px and 200 iterations: 512 px × 200, 1024 × 60, 2048 × 30, 4096 × 15; history 100, 50, 25, 12.
    /// </summary>
    public static IReadOnlyList<ScaleStep> Plan(long longSide, int iterations, int? maxEvaluations, int historySize)
    {
        if (longSide <= AutomaticAbove) return [new ScaleStep(0, 1.0, iterations, maxEvaluations)];
        int n = 1 + (int)Math.Round(Math.Log2((double)longSide / CoarsestSide));
        return [.. Enumerable.Range(0, n).Select(j => new ScaleStep(
            j,
            Math.Pow(2, n - 1 - j),
            j == 0 ? iterations : Math.Max(Math.Min(MinimumIterations, iterations), (int)Math.Round(0.3 * iterations / Math.Pow(2, j - 1))),
            j == n - 1 ? maxEvaluations : null,
            Math.Max(Math.Min(5, historySize), historySize >> j)))];
    }
}
