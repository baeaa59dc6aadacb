using System.Runtime.InteropServices;
using TorchSharp;

namespace NotebookStyle.Backend;

/// <summary>
/// Where a run or a benchmark ran: the processor, the instruction-set extensions that decide which CPU kernels libtorch
/// picks (AVX2, AVX-512, AMX), the logical CPUs and torch's threads, and the libtorch kernels available here (oneDNN,
/// NNPACK). Timings from different processors are not comparable: every benchmark report starts with this.
/// </summary>
/// <param name="CpuModel">The processor's model name (<c>/proc/cpuinfo</c>), or "unknown".</param>
/// <param name="CpuFeatures">The extensions of interest that the processor reports, in a fixed order.</param>
/// <param name="LogicalCpus">Logical CPUs visible to this process.</param>
/// <param name="TorchThreads">libtorch's intra-op threads.</param>
/// <param name="OneDnn">Whether libtorch has oneDNN (MKL-DNN) kernels and they are enabled; null where unknown.</param>
/// <param name="Nnpack">Whether NNPACK can run on this processor (<c>torch._nnpack_available()</c>); null where unknown.</param>
/// <param name="NativeLogging">What <see cref="Backend.NativeLogging"/> did to libtorch's warnings in this process.</param>
public sealed record MachineReport(
    string CpuModel, IReadOnlyList<string> CpuFeatures, int LogicalCpus, int TorchThreads, bool? OneDnn, bool? Nnpack,
    NativeLoggingMode NativeLogging)
{
    /// <summary>The <c>/proc/cpuinfo</c> flags reported, in this order, when present (others do not change libtorch's CPU kernels).</summary>
    public static readonly IReadOnlyList<string> FeaturesOfInterest = ["avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16"];

    // at::Context::hasMKLDNN() is static; userEnabledMkldnn() const is a member.
    private const string HasMkldnnSymbol = "_ZN2at7Context9hasMKLDNNEv";
    private const string UserEnabledMkldnnSymbol = "_ZNK2at7Context17userEnabledMkldnnEv";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte StaticFlagFn();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte MemberFlagFn(IntPtr context);

    /// <summary>Reads this machine (loads the natives).</summary>
    public static MachineReport Read()
    {
        TorchBackend.EnsureLoaded();
        var (model, flags) = ReadCpuInfo("/proc/cpuinfo");
        return new MachineReport(model, FeaturesOfInterest.Where(flags.Contains).ToList(), Environment.ProcessorCount,
            torch.get_num_threads(), OneDnnEnabled(), Backend.NativeLogging.NnpackAvailable, Backend.NativeLogging.Mode);
    }

    /// <summary>The model name and the flags of the first processor in a <c>/proc/cpuinfo</c>-format file ("unknown" and none where it is missing).</summary>
    public static (string Model, IReadOnlySet<string> Flags) ReadCpuInfo(string path)
    {
        string model = "unknown";
        var flags = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return (model, flags);
        foreach (string line in File.ReadLines(path))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) { if (line.Length == 0 && flags.Count > 0) break; continue; }
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (key == "model name" && model == "unknown") model = value;
            else if (key == "flags" && flags.Count == 0) flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return (model, flags);
    }

    /// <summary>One line for the top of a report.</summary>
    public string Describe() =>
        $"{CpuModel}; {(CpuFeatures.Count > 0 ? string.Join(", ", CpuFeatures) : "no AVX2/AVX-512/AMX")}; {LogicalCpus} logical CPUs, " +
        $"{TorchThreads} torch threads; libtorch kernels: oneDNN {Word(OneDnn)}, NNPACK {Word(Nnpack)}" +
        (NativeLogging == NativeLoggingMode.NnpackQuiet ? " (switched off: batch-1 convolutions never use it)" : "");

    private static string Word(bool? flag) => flag switch { true => "available", false => "unavailable", null => "unknown" };

    private static bool? OneDnnEnabled()
    {
        var has = LibTorchNative.Function<StaticFlagFn>(LibTorchNative.TorchCpu, HasMkldnnSymbol);
        var enabled = LibTorchNative.Function<MemberFlagFn>(LibTorchNative.TorchCpu, UserEnabledMkldnnSymbol);
        IntPtr context = LibTorchNative.GlobalContext;
        if (has is null || enabled is null || context == IntPtr.Zero) return null;
        return has() != 0 && enabled(context) != 0;
    }
}
