using System.Runtime.InteropServices;
using TorchSharp;

namespace NotebookStyle.Backend;

/// <summary>
/// cuDNN autotuning, PyTorch's <c>torch.backends.cudnn.benchmark</c>: on the first call of each convolution shape
/// cuDNN times its algorithms and keeps the fastest. Style transfer evaluates the same shapes hundreds of times, so
/// it pays off after the first evaluation. TorchSharp 0.107 exposes no setter for it, so this calls libtorch's own
/// <c>at::Context::setBenchmarkCuDNN</c> / <c>benchmarkCuDNN</c> on <c>at::globalContext()</c> through their exported
/// symbols in the <c>libtorch_cpu.so</c> that TorchSharp has loaded (Linux x64; elsewhere <see cref="IsSupported"/> is false).
/// The flag lives in libtorch's global context, so it can be set and read on a CPU-only build too.
/// </summary>
public static class CudnnBenchmark
{
    // Itanium C++ ABI names of at::Context::setBenchmarkCuDNN(bool) and at::Context::benchmarkCuDNN() const.
    internal const string SetSymbol = "_ZN2at7Context17setBenchmarkCuDNNEb";
    internal const string GetSymbol = "_ZNK2at7Context14benchmarkCuDNNEv";

    /// <summary>The libtorch library that holds <c>at::Context</c> on Linux.</summary>
    public const string LibraryFileName = LibTorchNative.TorchCpu;

    // A member function takes `this` as its first argument; a C++ bool is one byte.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFn(IntPtr context, byte enabled);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte GetFn(IntPtr context);

    private sealed record Functions(IntPtr Context, SetFn Set, GetFn Get);

    private static readonly Lazy<Functions?> Native = new(Bind);

    /// <summary>
    /// Whether <see cref="EnableFor"/> turns autotuning on when a run starts on a CUDA device (default true). Set it to
    /// false for bit-for-bit repeatable GPU runs: autotuning may pick different algorithms from run to run.
    /// </summary>
    public static bool Automatic { get; set; } = true;

    /// <summary>Whether the flag can be reached in this process (loads TorchSharp's natives).</summary>
    public static bool IsSupported => Native.Value is not null;

    /// <summary>The current value of libtorch's flag, or null where it cannot be reached.</summary>
    public static bool? Enabled => Native.Value is { } f ? f.Get(f.Context) != 0 : null;

    /// <summary>Sets libtorch's flag; returns false (and changes nothing) where it cannot be reached.</summary>
    public static bool TrySetEnabled(bool enabled)
    {
        if (Native.Value is not { } f) return false;
        f.Set(f.Context, enabled ? (byte)1 : (byte)0);
        return true;
    }

    /// <summary>
    /// Turns autotuning on for a run on <paramref name="device"/> when it is a CUDA device and <see cref="Automatic"/>
    /// is set (a run's image size is fixed, which is when autotuning helps). Returns whether it is on afterwards.
    /// </summary>
    public static bool EnableFor(torch.Device device)
    {
        if (device.type != DeviceType.CUDA || !Automatic) return Enabled ?? false;
        return TrySetEnabled(true) && Enabled == true;
    }

    private static Functions? Bind()
    {
        IntPtr context = LibTorchNative.GlobalContext;
        if (context == IntPtr.Zero) return null;
        var set = LibTorchNative.Function<SetFn>(LibraryFileName, SetSymbol);
        var get = LibTorchNative.Function<GetFn>(LibraryFileName, GetSymbol);
        return set is null || get is null ? null : new Functions(context, set, get);
    }

    /// <summary>The path of an already mapped shared library named <paramref name="fileName"/> (from <c>/proc/self/maps</c>), so the very copy TorchSharp uses is bound.</summary>
    public static string? LoadedLibraryPath(string fileName) => LibTorchNative.LoadedLibraryPath(fileName);
}
