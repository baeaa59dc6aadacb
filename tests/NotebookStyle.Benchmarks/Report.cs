using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookStyle.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>One process's measurements as JSON (snake_case keys, read by tests/benchmarks/bench.py).</summary>
internal static class Report
{
    /// <summary>
    /// The fields every run reports: who, what problem, which threads, and the memory of loading it. The peak is then
    /// reset, so that <see cref="Finish"/> can tell the run's own peak from the process's.
    /// </summary>
    public static JsonObject Start(string mode, Problem p)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var report = Fields(mode, p);
        report["load_peak_rss_kb"] = ProcessInfo.StatusKb("VmHWM");
        report["load_rss_kb"] = ProcessInfo.StatusKb("VmRSS");
        ProcessInfo.ResetPeak();
        return report;
    }

    private static long? _gpuBaseline;

    /// <summary>
    /// Starts CUDA and notes the device memory in use (cudaMemGetInfo: this process's context and anything else on the
    /// device) before the problem is loaded; <see cref="Finish"/> reports the highest use seen by <see cref="SampleGpu"/>.
    /// </summary>
    public static void GpuBaseline()
    {
        TorchBackend.InitializeCuda();
        using (torch.ones(1, device: torch.CUDA)) torch.cuda.synchronize();
        _gpuBaseline = CudaMemory.UsedBytes();
        _gpuPeak = _gpuBaseline;
    }

    private static long? _gpuPeak;

    /// <summary>Waits for the GPU's queued work and notes the device memory in use now (no-op on the CPU).</summary>
    public static void SampleGpu(Problem p)
    {
        if (p.Device.type != DeviceType.CUDA) return;
        torch.cuda.synchronize();
        if (CudaMemory.UsedBytes() is long used && used > (_gpuPeak ?? 0)) _gpuPeak = used;
    }

    private static JsonObject Fields(string mode, Problem p) => new()
    {
        ["runtime"] = "notebookstyle",
        ["mode"] = mode,
        ["device"] = p.Device.type.ToString().ToLowerInvariant(),
        ["network"] = p.Manifest.Network,
        ["size"] = p.Manifest.Size,
        ["width"] = p.Content.shape[3],
        ["height"] = p.Content.shape[2],
        ["threads"] = torch.get_num_threads(),
        ["interop_threads"] = torch.get_num_interop_threads(),
        ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString(),
        ["dotnet"] = Environment.Version.ToString(),
    };

    /// <summary>Peak memory (the run's, and the whole process's; read before anything else is allocated), then the convolution peak, then the libraries mapped.</summary>
    public static void Finish(JsonObject report)
    {
        long run = ProcessInfo.StatusKb("VmHWM");
        report["run_peak_rss_kb"] = run;
        report["peak_rss_kb"] = Math.Max(run, (long)report["load_peak_rss_kb"]!);
        report["rss_kb"] = ProcessInfo.StatusKb("VmRSS");
        if (_gpuBaseline is long before)
        {
            // Device-wide, as cudaMemGetInfo sees it: libtorch's caching allocator keeps what it reserved, so the highest
            // reading after an evaluation is the run's reserve at its largest (the PyTorch peer reads the same way).
            report["gpu_before_mb"] = before / 1048576.0;
            report["gpu_peak_used_mb"] = (_gpuPeak ?? before) / 1048576.0;
        }
        // The conv probe measures the CPU: only there.
        report["conv_peak_gflops"] = (string?)report["device"] == "cpu" ? Array(ConvPeak.Measure()) : new JsonArray();
        report["math_libraries"] = new JsonArray([.. ProcessInfo.MathLibraries().Select(s => (JsonNode?)s)]);
    }

    public static JsonArray Array(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)v)]);

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>The machine report as JSON (the header of every benchmark report).</summary>
    public static JsonObject Machine(MachineReport m) => new()
    {
        ["cpu"] = m.CpuModel,
        ["cpu_features"] = new JsonArray(m.CpuFeatures.Select(f => (JsonNode?)f).ToArray()),
        ["logical_cpus"] = m.LogicalCpus,
        ["torch_threads"] = m.TorchThreads,
        ["onednn"] = m.OneDnn,
        ["nnpack"] = m.Nnpack,
        ["native_logging"] = m.NativeLogging.ToString(),
        ["describe"] = m.Describe(),
    };

    public static void Write(JsonObject report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
