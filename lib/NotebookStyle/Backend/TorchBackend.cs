using TorchSharp;

namespace NotebookStyle.Backend;

/// <summary>
/// Loads TorchSharp's natives with an error that names the real cause, chooses the device and sets threads.
/// Everything that touches torch in front ends goes through <see cref="EnsureLoaded"/> first.
/// </summary>
public static class TorchBackend
{
    private static readonly object Gate = new();
    private static bool _loaded;

    /// <summary>Loads the natives once; on failure throws <see cref="TorchBackendException"/> explaining why.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                _loaded = true;
                NativeLogging.Apply(); // before any convolution: no NNPACK noise (see NativeLogging)
                ProcessMemory.KeepTensorBuffersInHeap();
            }
            catch (Exception ex) when (ex is not TorchBackendException)
            {
                throw new TorchBackendException(Diagnose() ?? $"TorchSharp's native libraries could not be loaded: {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// Brings up TorchSharp's CUDA backend before anything touches the CPU one, as TorchSharp asks of notebooks and
    /// other hosts that load its natives late (a process that first initialised the CPU backend cannot switch).
    /// Returns null when CUDA is usable, otherwise why not; never throws. Afterwards <see cref="EnsureLoaded"/> is a no-op.
    /// </summary>
    public static string? InitializeCuda()
    {
        lock (Gate)
        {
            try
            {
                torch.InitializeDeviceType(DeviceType.CUDA);
                _loaded = true;
                NativeLogging.Apply();
                ProcessMemory.KeepTensorBuffersInHeap();
                return torch.cuda.is_available() ? null : "the CUDA build of libtorch loaded, but it sees no GPU (driver or device missing)";
            }
            catch (Exception ex)
            {
                return ex.Message.Split('\n')[0];
            }
        }
    }

    /// <summary>
    /// Looks for the known cause of a failed load (a <c>libLibTorchSharp.so</c> that needs libstdc++ versions the
    /// system lacks) and returns a one-paragraph explanation, or null if none was found.
    /// </summary>
    public static string? Diagnose()
    {
        if (!OperatingSystem.IsLinux()) return null;
        string? system = LibStdCxxCompatibility.FindSystemLibStdCxx();
        if (system is null) return "TorchSharp could not be loaded and no libstdc++.so.6 was found on this system.";
        foreach (string so in LibTorchSharpCopies())
        {
            var report = LibStdCxxCompatibility.Inspect(so, system);
            if (report.Status is CompatibilityStatus.NeedsPatch or CompatibilityStatus.CannotPatch)
                return $"TorchSharp could not be loaded: {report.Path} {report.Detail} " +
                       "(TorchSharp itself reports this as a missing libtorch package reference, which is not the cause.)";
        }
        return null;
    }

    /// <summary>The copies of <c>libLibTorchSharp.so</c> this process could load: beside the app first, then the NuGet cache.</summary>
    public static IReadOnlyList<string> LibTorchSharpCopies()
    {
        string baseDir = AppContext.BaseDirectory;
        var local = File.Exists(Path.Combine(baseDir, LibStdCxxCompatibility.LibTorchSharpFileName))
            ? [Path.Combine(baseDir, LibStdCxxCompatibility.LibTorchSharpFileName)]
            : Array.Empty<string>();
        // TorchSharp loads from runtimes/ and copies natives into cpu/ or cuda/ beside the app.
        var dirs = new[] { "cpu", "cuda", "runtimes" }.Select(d => Path.Combine(baseDir, d));
        return local.Concat(LibStdCxxCompatibility.FindLibTorchSharpCopies(dirs)).Distinct().ToList();
    }

    /// <summary>Loads the natives and resolves <paramref name="choice"/> to a device.</summary>
    /// <exception cref="CudaUnavailableException">CUDA was asked for and is not available.</exception>
    public static torch.Device ResolveDevice(DeviceChoice choice)
    {
        EnsureLoaded();
        bool cuda = CudaAvailable();
        return choice switch
        {
            DeviceChoice.Cpu => torch.CPU,
            DeviceChoice.Auto => cuda ? torch.CUDA : torch.CPU,
            DeviceChoice.Cuda when cuda => torch.CUDA,
            _ => throw new CudaUnavailableException(
                "CUDA was requested but is not available: " + (HasCudaNatives()
                    ? "the CUDA build of libtorch is present but no NVIDIA GPU or driver was found."
                    : "this build carries the CPU natives only. Build with -p:TorchBackend=cuda (package TorchSharp-cuda-linux) on a machine with an NVIDIA GPU, or use --device cpu.")),
        };
    }

    /// <summary>Whether a CUDA device can be used (false, not an exception, when only CPU natives are present).</summary>
    public static bool CudaAvailable()
    {
        EnsureLoaded();
        try { return torch.cuda.is_available(); }
        catch (Exception) { return false; }
    }

    private static bool HasCudaNatives()
    {
        try { torch.InitializeDeviceType(DeviceType.CUDA); return true; }
        catch (Exception) { return false; }
    }

    /// <summary>Loads the natives and sets the number of intra-op threads (0 or less keeps torch's default).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
    }

    /// <summary>Parses <c>auto|cpu|cuda</c>.</summary>
    public static DeviceChoice ParseDevice(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" or "gpu" => DeviceChoice.Cuda,
        _ => throw new NotebookStyleException($"Unknown device '{text}': use auto, cpu or cuda."),
    };
}
