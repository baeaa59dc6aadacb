namespace NotebookStyle.Optimization;

/// <summary>
/// Tiled evaluation (poster sizes): the objective and its gradient are computed tile by tile, exactly, so memory
/// follows the tile instead of the image (<see cref="Losses.TiledObjective"/>). Without any (the default,
/// <see cref="StyleTransferSettings.Tiling"/> null) the budget is what the device has free, with a margin
/// (<see cref="Backend.DeviceMemory.Budget"/>): images that fit are evaluated whole, as before.
/// </summary>
/// <param name="TileSize">Core side of the tiles in pixels (rounded up to the network's total stride); null: from the budget.</param>
/// <param name="MemoryBudgetBytes">
/// Memory one evaluation may hold; tiles are used at the scales whose whole-image evaluation would not fit, sized to
/// fit, and the L-BFGS history is bounded by it too (null: what the device has free, unless a tile size is given).
/// </param>
public sealed record TilingSettings(int? TileSize = null, long? MemoryBudgetBytes = null)
{
    /// <summary>Always the whole image and the full L-BFGS history, whatever the memory.</summary>
    public static TilingSettings WholeImage { get; } = new(MemoryBudgetBytes: long.MaxValue / 4);
}
