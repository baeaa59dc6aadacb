namespace NotebookStyle.Optimization;

/// <summary>
/// Tiled evaluation (poster sizes): the objective and its gradient are computed tile by tile, exactly, so memory
/// follows the tile instead of the image (<see cref="Losses.TiledObjective"/>).
/// </summary>
/// <param name="TileSize">Core side of the tiles in pixels (rounded up to the network's total stride); null: from the budget.</param>
/// <param name="MemoryBudgetBytes">
/// Memory one evaluation may hold; tiles are used at the scales whose whole-image evaluation would not fit, sized to
/// fit, and the L-BFGS history is bounded by it too (null: no budget; only <paramref name="TileSize"/> decides).
/// </param>
public sealed record TilingSettings(int? TileSize = null, long? MemoryBudgetBytes = null);
