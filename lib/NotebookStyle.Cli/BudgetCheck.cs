using NotebookStyle.Models;
using NotebookStyle.Optimization;

namespace NotebookStyle.Cli;

/// <summary>
/// A --memory-budget or --tile is met or refused at once: the tiles it leads to at the run's size must do no more than
/// <see cref="MaxWorkFactor"/> times the work of one whole-image evaluation (each tile evaluates its core and a halo as
/// wide as the deepest layer's reach; with tiles much smaller than the halo a run would take hours and its tiles would
/// still not fit). Checked with the network loaded, before the optimisation.
/// </summary>
internal static class BudgetCheck
{
    /// <summary>The most work, in whole-image evaluations, that the tiles of one evaluation may do.</summary>
    public const double MaxWorkFactor = 16;

    /// <exception cref="NotebookStyleException">The budget or tile leads to tiles that cannot do the work in bounded time and memory.</exception>
    public static void Check(TilingSettings? tiling, FeatureExtractor network, ResolvedSettings resolved, long height, long width)
    {
        if (tiling is null) return; // the default budget follows the device's free memory
        var taps = resolved.Taps.ToList();
        int history = Math.Min(resolved.Lbfgs.HistorySize, resolved.Scales[^1].HistorySize ?? int.MaxValue);
        double work = Work(tiling, network, taps, height, width, history);
        if (work <= MaxWorkFactor) return;
        string name = network.NetworkName;
        if (tiling.TileSize is null && tiling.MemoryBudgetBytes is long bytes)
        {
            string least = LeastBudget(tiling, network, taps, height, width, history) is double gb ? $"at least {gb:0.##} GB" : "a larger budget";
            throw new NotebookStyleException(
                $"--memory-budget {bytes / 1e9:0.###} GB is too small for a {width}×{height} run with {name}: its tiles would do {work:0}× the work of " +
                $"one whole-image evaluation and their halos would not fit it; give {least} or a smaller --size.");
        }
        throw new NotebookStyleException(
            $"--tile {tiling.TileSize} is too small for {name}: each tile is evaluated with a halo of its deepest layer's reach, " +
            $"{work:0}× the work of one whole-image evaluation at {width}×{height}; give a larger --tile or none.");
    }

    /// <summary>The tiles' pixels (halos included, clipped to the image) over the image's.</summary>
    private static double Work(TilingSettings tiling, FeatureExtractor network, IReadOnlyList<string> taps, long height, long width, int history)
    {
        MemoryPlan plan;
        try
        {
            plan = MemoryPlan.For(tiling, network, taps, height, width, history);
        }
        catch (NotebookStyleException)
        {
            return double.PositiveInfinity; // the budget cannot hold even the image-sized vectors
        }
        if (plan.TileSize is not int tile) return 1;
        (int Stride, int Radius) geometry;
        try
        {
            geometry = network.TilingGeometry(taps);
        }
        catch (NotSupportedException)
        {
            return 1; // evaluated whole
        }
        int core = (tile + geometry.Stride - 1) / geometry.Stride * geometry.Stride;
        int halo = (geometry.Radius + geometry.Stride - 1) / geometry.Stride * geometry.Stride;
        double rows = Math.Ceiling((double)height / core), columns = Math.Ceiling((double)width / core);
        double cropHeight = Math.Min(core + 2.0 * halo, height), cropWidth = Math.Min(core + 2.0 * halo, width);
        return rows * columns * cropHeight * cropWidth / ((double)height * width);
    }

    /// <summary>The smallest budget (to 0.01 GB, up to 1,000 GB) whose tiles do at most <see cref="MaxWorkFactor"/>× the work, or null.</summary>
    private static double? LeastBudget(TilingSettings tiling, FeatureExtractor network, IReadOnlyList<string> taps, long height, long width, int history)
    {
        double low = tiling.MemoryBudgetBytes!.Value / 1e9, high = low;
        while (Work(tiling with { MemoryBudgetBytes = (long)(high * 1e9) }, network, taps, height, width, history) > MaxWorkFactor)
        {
            low = high;
            high *= 2;
            if (high > 1000) return null;
        }
        while (high - low > 0.01)
        {
            double middle = (low + high) / 2;
            if (Work(tiling with { MemoryBudgetBytes = (long)(middle * 1e9) }, network, taps, height, width, history) > MaxWorkFactor) low = middle;
            else high = middle;
        }
        return Math.Ceiling(high * 100) / 100;
    }
}
