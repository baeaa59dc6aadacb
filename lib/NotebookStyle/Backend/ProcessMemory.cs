using System.Runtime;
using System.Runtime.InteropServices;

namespace NotebookStyle.Backend;

/// <summary>
/// Hands memory that a one-off phase (reading weights, recolouring the content) used and freed back to the operating
/// system, so that it does not add to the process's peak while the optimisation runs: the .NET heap is collected with its
/// large-object heap compacted, and glibc's malloc, which keeps freed blocks of libtorch's tensors in its arenas, is trimmed.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Collects the managed heap (compacting the large-object heap) and, on Linux with glibc, trims malloc's arenas.</summary>
    public static void Release()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        TrimNative();
    }

    /// <summary>On Linux with glibc, returns malloc's free memory to the system (<c>malloc_trim(0)</c>); elsewhere does nothing.</summary>
    /// <returns>Whether anything was trimmed (false where the call is unavailable).</returns>
    public static bool TrimNative()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl and other C libraries have no malloc_trim
        }
    }

    /// <summary>
    /// Whether this process's host opted in to the allocator settings (<see cref="OptIn"/>). Only then does the library
    /// trim malloc's heap on its own (<see cref="TrimIfOptedIn"/>: every few evaluations, when an evaluator is disposed,
    /// after recolouring); a program that embeds it without opting in keeps its allocator as it set it.
    /// </summary>
    public static bool HostOptedIn => _optedIn;

    private static volatile bool _optedIn;

    /// <summary>
    /// The one call a host (the CLI, the notebook session, the benchmarks) makes to tune this process's allocator for
    /// style transfer: malloc keeps tensor-sized blocks in its heap (<see cref="KeepTensorBuffersInHeap"/>: ~10% less
    /// time per evaluation, 2–3 million page faults instead of 7 million in a 50-evaluation run at 512 px) and the
    /// library hands free heap pages back to the system during and after runs (<see cref="TrimIfOptedIn"/>: a peak near
    /// PyTorch's instead of ~40% above it over 200 L-BFGS evaluations). Process-wide, so a library never calls it; loading
    /// the backend does not either. Setting <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c> or a glibc malloc
    /// tunable keeps the thresholds as the user chose (the trims still follow the opt-in).
    /// </summary>
    /// <returns>Whether malloc took the thresholds (false elsewhere than glibc, or when the user set their own).</returns>
    public static bool OptIn()
    {
        _optedIn = true;
        return KeepTensorBuffersInHeap();
    }

    /// <summary>Trims malloc's free pages (<see cref="TrimNative"/>) when the host opted in (<see cref="OptIn"/>); otherwise does nothing.</summary>
    /// <returns>Whether anything was trimmed.</returns>
    public static bool TrimIfOptedIn() => _optedIn && TrimNative();

    /// <summary>Blocks up to this size come from malloc's heap once <see cref="KeepTensorBuffersInHeap"/> has run (256 MB).</summary>
    public const int HeapBlockLimit = 256 << 20;

    /// <summary>Free memory at the top of malloc's heap beyond this is given back at once (64 MB: the most glibc's own adaptive trim threshold reaches).</summary>
    public const int HeapTrimThreshold = 64 << 20;

    /// <summary>
    /// On Linux with glibc, lets malloc serve blocks up to <see cref="HeapBlockLimit"/> from its heap
    /// (<c>M_MMAP_THRESHOLD</c>; <c>M_TRIM_THRESHOLD</c> at <see cref="HeapTrimThreshold"/>), so that the next evaluation
    /// reuses the pages of the last one's tensors instead of mapping fresh zeroed pages: glibc maps every block above 32 MB
    /// anew and unmaps it on free, and VGG19 at 512 px has several such maps per evaluation (64 × 512 × 384 floats, 50 MB)
    /// — 7 million page faults in a 50-evaluation process, 2–3 million with these settings, and ~10% less time per
    /// evaluation at the same peak. The optimisation's own trims (<see cref="TrimNative"/> every few evaluations and when
    /// its evaluator is disposed) hand kept pages back. Process-wide: hosts call it through <see cref="OptIn"/>. Threads other than
    /// the main one allocate from glibc's secondary arenas, whose heaps are 64 MB at most: there blocks up to ~64 MB are
    /// kept, larger ones are still mapped each time. Leaves malloc alone when the environment sets
    /// <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c> or glibc malloc tunables (the user's choice stands;
    /// setting one is also the way to opt out), and elsewhere than glibc.
    /// </summary>
    /// <returns>Whether the settings were applied.</returns>
    public static bool KeepTensorBuffersInHeap()
    {
        if (!OperatingSystem.IsLinux() || UserChoseMallocSettings(Environment.GetEnvironmentVariable)) return false;
        try
        {
            return Mallopt(MmapThreshold, HeapBlockLimit) == 1 && Mallopt(TrimThreshold, HeapTrimThreshold) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc
        }
    }

    /// <summary>Whether the environment (read through <paramref name="variable"/>) sets glibc's malloc thresholds or tunables.</summary>
    internal static bool UserChoseMallocSettings(Func<string, string?> variable) =>
        variable("MALLOC_MMAP_THRESHOLD_") is not null
        || variable("MALLOC_TRIM_THRESHOLD_") is not null
        || variable("GLIBC_TUNABLES") is { } tunables && tunables.Contains("glibc.malloc.", StringComparison.Ordinal);

    private const int TrimThreshold = -1, MmapThreshold = -3; // glibc's M_TRIM_THRESHOLD, M_MMAP_THRESHOLD

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
