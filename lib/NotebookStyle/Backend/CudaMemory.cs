using System.Runtime.InteropServices;

namespace NotebookStyle.Backend;

/// <summary>
/// GPU memory in use on the current CUDA device, read with the CUDA runtime's <c>cudaMemGetInfo</c> (TorchSharp
/// exposes no allocator statistics). Null where no CUDA runtime library can be loaded.
/// </summary>
public static class CudaMemory
{
    private delegate int MemGetInfo(out nuint free, out nuint total);
    private static readonly Lazy<MemGetInfo?> Function = new(Load);

    /// <summary>Total minus free bytes on the current device (all processes), or null without a CUDA runtime.</summary>
    public static long? UsedBytes()
    {
        var f = Function.Value;
        if (f is null) return null;
        return f(out var free, out var total) == 0 ? (long)(total - free) : null;
    }

    /// <summary>Free bytes on the current device, or null without a CUDA runtime.</summary>
    public static long? FreeBytes()
    {
        var f = Function.Value;
        if (f is null) return null;
        return f(out var free, out _) == 0 ? (long)free : null;
    }

    /// <summary>Total bytes of the current device, or null without a CUDA runtime.</summary>
    public static long? TotalBytes()
    {
        var f = Function.Value;
        if (f is null) return null;
        return f(out _, out var total) == 0 ? (long)total : null;
    }

    private static MemGetInfo? Load()
    {
        foreach (string name in new[] { "libcudart.so.12", "libcudart.so.13", "libcudart.so", "cudart64_12.dll" })
            if (NativeLibrary.TryLoad(name, out var lib) && NativeLibrary.TryGetExport(lib, "cudaMemGetInfo", out var fn))
                return Marshal.GetDelegateForFunctionPointer<MemGetInfo>(fn);
        return null;
    }
}
