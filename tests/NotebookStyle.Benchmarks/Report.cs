using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;

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

    private static JsonObject Fields(string mode, Problem p) => new()
    {
        ["runtime"] = "notebookstyle",
        ["mode"] = mode,
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
        report["conv_peak_gflops"] = Array(ConvPeak.Measure());
        report["math_libraries"] = new JsonArray([.. ProcessInfo.MathLibraries().Select(s => (JsonNode?)s)]);
    }

    public static JsonArray Array(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)v)]);

    public static void Write(JsonObject report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
