using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>One progress report, after each iteration.</summary>
/// <param name="Iteration">Iterations done (1-based).</param>
/// <param name="Evaluations">Loss-and-gradient evaluations done.</param>
/// <param name="Loss">Each term and the total at the current point.</param>
/// <param name="Elapsed">Time since the optimisation started (image and network loading excluded).</param>
/// <param name="Image">The current image (RGB [0, 1], CPU) when requested by <see cref="StyleTransferSettings.ImageEvery"/>; valid only during the callback.</param>
/// <param name="GpuMemoryBytes">Bytes in use on the CUDA device, when running there.</param>
/// <param name="Scale">Which scale of a coarse-to-fine run (0-based; 0 for a single-scale run).</param>
/// <param name="Width">Width of the image at this scale.</param>
/// <param name="Height">Height of the image at this scale.</param>
/// <param name="Tiles">Tiles each evaluation at this scale is cut into (1: the whole image; see <see cref="TilingSettings"/>).</param>
/// <param name="TileSize">The tiles' core side in pixels (null: the whole image).</param>
public sealed record StyleTransferProgress(int Iteration, int Evaluations, LossTerms Loss, TimeSpan Elapsed, Tensor? Image, long? GpuMemoryBytes = null,
    int Scale = 0, int Width = 0, int Height = 0, int Tiles = 1, int? TileSize = null);
