using System.Runtime.InteropServices;

namespace NotebookStyle.Backend;

/// <summary>
/// Reaches libtorch switches that TorchSharp 0.107 does not expose, through the exported C++ symbols of the very
/// <c>libtorch_cpu.so</c> and <c>libc10.so</c> that TorchSharp has mapped (Linux x64; elsewhere every lookup is null).
/// Member functions of <c>at::Context</c> take the object from <c>at::globalContext()</c> as their first argument
/// (Itanium C++ ABI); a C++ <c>bool</c> is one byte.
/// </summary>
internal static class LibTorchNative
{
    /// <summary>The libtorch library that holds <c>at::Context</c> and the ATen operators on Linux.</summary>
    public const string TorchCpu = "libtorch_cpu.so";

    /// <summary>The core library that holds libtorch's logging flags.</summary>
    public const string C10 = "libc10.so";

    private const string GlobalContextSymbol = "_ZN2at13globalContextEv"; // at::globalContext()

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContextFn();

    private static readonly Lazy<IntPtr> Context = new(() =>
        Export(TorchCpu, GlobalContextSymbol) is { } fn ? Marshal.GetDelegateForFunctionPointer<GlobalContextFn>(fn)() : IntPtr.Zero);

    /// <summary><c>at::globalContext()</c>, or <see cref="IntPtr.Zero"/> where it cannot be reached.</summary>
    public static IntPtr GlobalContext => Context.Value;

    /// <summary>The address of <paramref name="symbol"/> in the loaded copy of <paramref name="library"/>, or null.</summary>
    public static IntPtr? Export(string library, string symbol)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            TorchBackend.EnsureLoaded();
            if (LoadedLibraryPath(library) is not { } path || !NativeLibrary.TryLoad(path, out var lib)) return null;
            return NativeLibrary.TryGetExport(lib, symbol, out var address) ? address : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TorchBackendException or IOException)
        {
            return null;
        }
    }

    /// <summary>A delegate for the exported function <paramref name="symbol"/> of <paramref name="library"/>, or null.</summary>
    public static T? Function<T>(string library, string symbol) where T : Delegate =>
        Export(library, symbol) is { } address ? Marshal.GetDelegateForFunctionPointer<T>(address) : null;

    /// <summary>The path of an already mapped shared library named <paramref name="fileName"/> (from <c>/proc/self/maps</c>), so the very copy TorchSharp uses is bound.</summary>
    public static string? LoadedLibraryPath(string fileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (string line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            string path = line[slash..].Trim();
            if (Path.GetFileName(path) == fileName) return path;
        }
        return null;
    }
}
