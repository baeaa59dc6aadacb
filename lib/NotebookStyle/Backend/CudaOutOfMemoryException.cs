using static TorchSharp.torch;

namespace NotebookStyle.Backend;

/// <summary>
/// The GPU ran out of memory during a run. The message suggests what to change (a smaller size, multi-scale, the
/// CPU); <see cref="ImageSoFar"/> (RGB [0, 1], CPU) holds the best image reached before it, when there was one.
/// </summary>
public sealed class CudaOutOfMemoryException(string message, Tensor? imageSoFar, int iteration, Exception inner)
    : NotebookStyleException(message, inner)
{
    /// <summary>The best image before memory ran out (null if it ran out before the first evaluation); the catcher owns it.</summary>
    public Tensor? ImageSoFar { get; } = imageSoFar;

    /// <summary>The iteration during which it happened (1-based).</summary>
    public int Iteration { get; } = iteration;
}
