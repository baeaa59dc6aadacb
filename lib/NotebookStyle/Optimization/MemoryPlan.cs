using NotebookStyle.Losses;
using NotebookStyle.Models;

namespace NotebookStyle.Optimization;

/// <summary>
/// What one scale of a run holds in memory and how it fits a budget: whether to evaluate in tiles and how large,
/// and how many L-BFGS pairs to keep. Estimates are per pixel and per network, measured on the CPU (FACTS: VGG19
/// ~4 GB per megapixel for one evaluation with its graph, the ResNet default more per pixel).
/// </summary>
/// <param name="TileSize">Core side of the tiles (null: whole image).</param>
/// <param name="HistorySize">L-BFGS pairs to keep.</param>
public sealed record MemoryPlan(int? TileSize, int HistorySize)
{
    /// <summary>Bytes per pixel of one evaluation (forward with graph and backward) of <paramref name="network"/>.</summary>
    public static double EvaluationBytesPerPixel(FeatureExtractor network) => network is ResNet ? 4500 : 4000;

    /// <summary>Bytes per image pixel that stay whatever the tiling: the image, its gradient, the best point, the optimiser's vectors (float RGB each).</summary>
    public const double ResidentBytesPerPixel = 8 * 3 * 4;

    /// <summary>Bytes of one L-BFGS pair (s and y: two image-sized float vectors) per pixel.</summary>
    public const double HistoryBytesPerPixel = 2 * 3 * 4;

    /// <summary>The plan for an image of <paramref name="height"/> × <paramref name="width"/> evaluated against <paramref name="objective"/>.</summary>
    public static MemoryPlan For(TilingSettings? tiling, StyleTransferObjective objective, long height, long width, int historySize)
    {
        if (tiling is null) return new MemoryPlan(null, historySize);
        if (tiling.MemoryBudgetBytes is not long budget)
            return new MemoryPlan(tiling.TileSize, historySize);
        double pixels = (double)height * width;
        double perPixel = EvaluationBytesPerPixel(objective.Network);
        // The history takes at most a quarter of the budget (at least 5 pairs: fewer and L-BFGS is barely quasi-Newton).
        int history = Math.Clamp((int)(budget * 0.25 / (HistoryBytesPerPixel * pixels)), Math.Min(5, historySize), historySize);
        double left = budget - pixels * (ResidentBytesPerPixel + history * HistoryBytesPerPixel);
        if (tiling.TileSize is int given) return new MemoryPlan(given, history);
        if (pixels * perPixel <= left) return new MemoryPlan(null, history);
        var taps = objective.Losses.Where(l => l.Layer is not null).Select(l => l.Layer!);
        var (stride, radius) = objective.Network.TilingGeometry(taps);
        int halo = (radius + stride - 1) / stride * stride;
        // The largest core whose crop (core + two halos) fits what is left.
        double side = Math.Sqrt(Math.Max(0, left) / perPixel) - 2 * halo;
        int tile = Math.Max(stride, (int)(side / stride) * stride);
        return new MemoryPlan(tile, history);
    }
}
