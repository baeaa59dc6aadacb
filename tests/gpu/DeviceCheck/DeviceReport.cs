namespace NotebookStyle.DeviceCheck;

/// <summary>What <c>probe</c> found, written as JSON for <c>report</c>.</summary>
internal sealed record DeviceReport(
    string Gpu, string Driver, bool CudaAvailable, int CudaDevices, bool CudnnAvailable, bool CudnnBenchmarkSupported,
    long? GpuTotalBytes, string? Unavailable, BenchResult? Bench, OomProbe? Oom);

/// <summary>One Gatys evaluation (VGG19, the Keras example's layers, forward and input backward) timed on the device.</summary>
/// <param name="Device">Where it ran (cuda; cpu only to exercise the code).</param>
/// <param name="Size">Square image side.</param>
/// <param name="Reps">Timed evaluations per setting.</param>
/// <param name="FirstMsOff">The first evaluation with autotuning off (warm-up included).</param>
/// <param name="MedianMsOff">Median of the timed evaluations with autotuning off.</param>
/// <param name="FirstMsOn">The first evaluation after turning autotuning on (the tuning itself).</param>
/// <param name="MedianMsOn">Median of the timed evaluations with autotuning on.</param>
/// <param name="GpuUsedBytes">GPU memory in use after the runs (device-wide, cudaMemGetInfo).</param>
internal sealed record BenchResult(string Device, int Size, int Reps, double FirstMsOff, double MedianMsOff, double FirstMsOn, double MedianMsOn, long? GpuUsedBytes);

/// <summary>A deliberately impossible allocation on the GPU: is libtorch's error recognised, and is CUDA usable after it?</summary>
internal sealed record OomProbe(string ExceptionType, string FirstLine, bool Recognised, bool UsableAfter);
