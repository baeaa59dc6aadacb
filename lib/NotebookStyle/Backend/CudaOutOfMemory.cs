using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Backend;

/// <summary>Recognises libtorch's CUDA out-of-memory errors and turns them into <see cref="CudaOutOfMemoryException"/>.</summary>
public static class CudaOutOfMemory
{
    /// <summary>
    /// Texts libtorch puts in the message when GPU memory runs out: the caching allocator's
    /// "CUDA out of memory. Tried to allocate …", a raw CUDA "out of memory" error, and cuBLAS/cuDNN workspace failures.
    /// </summary>
    public static IReadOnlyList<string> Markers { get; } =
        ["CUDA out of memory", "CUDA error: out of memory", "CUBLAS_STATUS_ALLOC_FAILED", "CUDNN_STATUS_ALLOC_FAILED"];

    /// <summary>Whether <paramref name="exception"/> or one of its inner exceptions is a CUDA out-of-memory error.</summary>
    public static bool IsOutOfMemory(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is CudaOutOfMemoryException) return true;
            if (Markers.Any(m => e.Message.Contains(m, StringComparison.OrdinalIgnoreCase))) return true;
        }
        return false;
    }

    /// <summary>
    /// Builds the named error for an out-of-memory <paramref name="cause"/> hit while optimising an image of
    /// <paramref name="height"/>×<paramref name="width"/> pixels at <paramref name="iteration"/>. A CPU copy of
    /// <paramref name="bestSoFar"/> (clamped to [0, 1]) travels with it; <paramref name="bestSoFar"/> itself is not disposed.
    /// </summary>
    public static CudaOutOfMemoryException Create(Exception cause, Tensor? bestSoFar, int iteration, long height, long width)
    {
        Tensor? image = null;
        if (bestSoFar is not null)
        {
            // Copy to the host first: the copy needs no GPU memory, a clamp on the GPU would.
            using var detached = bestSoFar.detach();
            image = detached.device_type == DeviceType.CPU ? detached.clone() : detached.cpu();
            image.clamp_(0, 1);
        }
        return new CudaOutOfMemoryException(Message(iteration, height, width, image is not null, CudaMemory.TotalBytes()), image, iteration, cause);
    }

    /// <summary>Builds the named error from a tensor of shape [1, 3, H, W] (or [3, H, W]) being optimised; see the other overload.</summary>
    public static CudaOutOfMemoryException Create(Exception cause, Tensor bestSoFar, int iteration) =>
        Create(cause, bestSoFar, iteration, bestSoFar.shape[^2], bestSoFar.shape[^1]);

    /// <summary>The user-facing message: what happened, at what size, and what to try.</summary>
    public static string Message(int iteration, long height, long width, bool hasImage, long? totalGpuBytes)
    {
        long longSide = Math.Max(height, width);
        string gpu = totalGpuBytes is long t ? $" on a GPU with {t / (1024.0 * 1024 * 1024):F1} GiB" : "";
        string kept = hasImage ? " The best image so far is kept." : "";
        return $"The GPU ran out of memory at iteration {iteration} ({width}×{height} px{gpu})." + kept +
               $" Try a smaller --size (e.g. {SuggestedSize(longSide)}: memory grows with the pixel count), multi-scale (a small pass first, then" +
               " larger sizes starting from its result), or --device cpu (slower, limited by RAM instead).";
    }

    /// <summary>A long side with about half the pixels of <paramref name="longSide"/>, rounded down to a multiple of 32 (at least 64).</summary>
    public static int SuggestedSize(long longSide) => (int)Math.Max(64, Math.Floor(longSide / Math.Sqrt(2) / 32) * 32);
}
