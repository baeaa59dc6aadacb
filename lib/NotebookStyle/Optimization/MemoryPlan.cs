using NotebookStyle.Backend;
using NotebookStyle.Models;

namespace NotebookStyle.Optimization;

/// <summary>
/// What one scale of a run holds in memory and how it fits a budget: whether to evaluate in tiles and how large,
/// and how many L-BFGS pairs to keep. Estimates are per pixel and per network, measured on the CPU (poster benchmark:
/// one VGG19 evaluation with its graph grows by ~2.2 GB per megapixel of a whole image and ~2.5 GB per megapixel of a
/// tile's crop; the ResNet default's estimate is kept conservative).
/// </summary>
/// <param name="TileSize">Core side of the tiles (null: whole image).</param>
/// <param name="HistorySize">L-BFGS pairs to keep.</param>
/// <param name="BudgetBytes">The budget the plan was made for (null: none).</param>
public sealed record MemoryPlan(int? TileSize, int HistorySize, long? BudgetBytes = null)
{
    /// <summary>
    /// Bytes per pixel of one evaluation (forward with graph and backward) of <paramref name="network"/>: VGG19 measured
    /// ~2,150 per pixel of a whole image and ~2,500 per pixel of a tile's crop on the CPU (whole-process peaks,
    /// tests/benchmarks/poster.sh), planned at 2,600; the ResNet's 4,500 is an upper bound. With VGG19's channels-last
    /// convolutions (<see cref="FeatureExtractor.ChannelsLastOnCpu"/>) a whole 1 MP evaluation peaks 14% higher (3.10
    /// against 2.71 GB; ~2.85 kB per pixel with the resident vectors, against the 2.73 planned), while the tiled
    /// evaluation at 3.1 MP within a 4 GB budget peaks no higher (3.83 against 3.89 GiB): the planned figure holds for
    /// tiles, and the default budget's headroom (60% of what is available) covers the whole-image difference.
    /// </summary>
    public static double EvaluationBytesPerPixel(FeatureExtractor network) => network is ResNet ? 4500 : 2600;

    /// <summary>
    /// Bytes per image pixel a run holds whatever the tiling, as eleven float RGB images: the image and its gradient, the
    /// tiles' gradient, its product with the image and that product's gradient, the content photo and the style image at
    /// the run's size, the content's target feature maps and the allocator's slack. Fitted with the crop's cost to the
    /// poster benchmark's tiled peaks at 3.1 and 12.6 MP (VGG19: ~130 B per image pixel besides ~2.5 kB per crop pixel).
    /// </summary>
    public const double ResidentBytesPerPixel = 11 * 3 * 4;

    /// <summary>Bytes per image pixel of the optimiser's own vectors besides its history: direction, gradients, the best point and the line search's (float RGB each).</summary>
    public const double OptimizerBytesPerPixel = 6 * 3 * 4;

    /// <summary>Bytes of one L-BFGS pair (s and y: two image-sized float vectors) per pixel.</summary>
    public const double HistoryBytesPerPixel = 2 * 3 * 4;

    /// <summary>
    /// The plan for an image of <paramref name="height"/> × <paramref name="width"/> evaluated by
    /// <paramref name="network"/> at <paramref name="taps"/>. The budget is <see cref="TilingSettings.MemoryBudgetBytes"/>,
    /// else (no tile size given) what the device has free (<see cref="DeviceMemory.Budget"/>, or
    /// <paramref name="deviceBudget"/> when given). Within it the L-BFGS history takes at most a quarter, and the
    /// image is evaluated whole when that fits, else in the largest tiles that do. Taps whose geometry cannot be tiled
    /// (a global pool) keep the whole image. <paramref name="historySize"/> 0 plans one evaluation without an optimiser.
    /// </summary>
    /// <exception cref="NotebookStyleException">The budget cannot hold the run's image-sized vectors, whatever the tile.</exception>
    public static MemoryPlan For(TilingSettings? tiling, FeatureExtractor network, IEnumerable<string> taps, long height, long width,
        int historySize, long? deviceBudget = null)
    {
        long? budget = tiling?.MemoryBudgetBytes ?? (tiling?.TileSize is null ? deviceBudget ?? DeviceMemory.Budget(network.Device) : null);
        if (budget is not long bytes) return new MemoryPlan(tiling?.TileSize, historySize);
        double pixels = (double)height * width;
        // The history takes at most a quarter of the budget (at least 5 pairs: fewer and L-BFGS is barely quasi-Newton).
        int history = (int)Math.Clamp(Math.Floor(bytes * 0.25 / (HistoryBytesPerPixel * pixels)), Math.Min(5, historySize), historySize);
        if (tiling?.TileSize is int given) return new MemoryPlan(given, history, bytes);
        // History 0: an evaluation on its own (benchmarks), without an optimiser's vectors.
        double left = bytes - pixels * (ResidentBytesPerPixel + (historySize > 0 ? OptimizerBytesPerPixel : 0) + history * HistoryBytesPerPixel);
        double perPixel = EvaluationBytesPerPixel(network);
        if (pixels * perPixel <= left) return new MemoryPlan(null, history, bytes);
        (int Stride, int Radius) geometry;
        try
        {
            geometry = network.TilingGeometry(taps);
        }
        catch (NotSupportedException)
        {
            return new MemoryPlan(null, history, bytes); // a tap past a global pool sees the whole image
        }
        if (left <= 0)
        {
            double needed = bytes - left + 0.5e9; // the image-sized vectors and a tile of a few hundred pixels
            throw new NotebookStyleException(
                $"A memory budget of {bytes / 1e9:0.##} GB cannot hold a {width}×{height} run: its image-sized vectors (the image, its " +
                $"gradient, the photos, the optimiser's history) alone take {(bytes - left) / 1e9:0.##} GB. Give a budget of at least " +
                $"{Math.Ceiling(needed / 1e8) / 10:0.#} GB (--memory-budget) or a smaller size.");
        }
        int halo = (geometry.Radius + geometry.Stride - 1) / geometry.Stride * geometry.Stride;
        // The largest core whose crop (core + two halos) fits what is left.
        double side = Math.Sqrt(left / perPixel) - 2 * halo; // left > 0: checked above
        int tile = Math.Max(geometry.Stride, (int)(side / geometry.Stride) * geometry.Stride);
        return new MemoryPlan(tile, history, bytes);
    }
}
