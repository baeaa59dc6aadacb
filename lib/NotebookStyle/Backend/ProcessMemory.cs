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

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
