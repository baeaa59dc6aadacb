// The GPU check's helper; see tests/gpu/gpu-check.sh.
//   probe  [--json FILE] [--bench SIZE [--reps N] [--bench-on cpu]] [--oom]   device facts (exit 0: CUDA usable, 1: not)
//   report --device FILE --metrics FILE [--memory FILE] [--idle MiB]   the summary table (Markdown)
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NotebookStyle;
using NotebookStyle.Backend;
using NotebookStyle.DeviceCheck;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
string? Opt(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
bool Flag(string name) => args.Contains(name);

try
{
    return args.FirstOrDefault() switch
    {
        "probe" => Probe(),
        "report" => Report(),
        _ => Usage(),
    };
}
catch (NotebookStyleException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

int Usage()
{
    Console.Error.WriteLine("usage: DeviceCheck probe [--json FILE] [--bench SIZE [--reps N] [--bench-on cpu]] [--oom] | report --device FILE --metrics FILE [--memory FILE] [--idle MiB]");
    return 2;
}

int Probe()
{
    var (gpu, driver) = NvidiaSmi();
    TorchBackend.EnsureLoaded();
    bool cuda = TorchBackend.CudaAvailable();
    string? why = null;
    if (!cuda)
    {
        try { TorchBackend.ResolveDevice(DeviceChoice.Cuda); }
        catch (CudaUnavailableException ex) { why = ex.Message; }
    }
    int count = cuda ? torch.cuda.device_count() : 0;
    bool cudnn = cuda && torch.cuda.is_cudnn_available();
    // --bench-on cpu exercises the benchmark without a GPU (the CI does, at a tiny size).
    var benchDevice = Opt("--bench-on") == "cpu" ? torch.CPU : cuda ? torch.CUDA : null;
    BenchResult? bench = benchDevice is not null && Opt("--bench") is { } s
        ? Bench(benchDevice, int.Parse(s, CultureInfo.InvariantCulture), int.Parse(Opt("--reps") ?? "10", CultureInfo.InvariantCulture))
        : null;
    OomProbe? oom = cuda && Flag("--oom") ? Oom() : null;
    var report = new DeviceReport(gpu, driver, cuda, count, cudnn, CudnnBenchmark.IsSupported, cuda ? CudaMemory.TotalBytes() : null, why, bench, oom);

    Console.WriteLine($"GPU (nvidia-smi):         {gpu} (driver {driver})");
    Console.WriteLine($"CUDA from TorchSharp:     {(cuda ? $"yes, {count} device(s), cuDNN {(cudnn ? "yes" : "no")}" : "no")}");
    if (why is not null) Console.WriteLine($"                          {why}");
    Console.WriteLine($"cuDNN autotuning flag:    {(CudnnBenchmark.IsSupported ? "reachable" : "not reachable (runs without autotuning)")}");
    if (report.GpuTotalBytes is long t) Console.WriteLine($"GPU memory:               {Gib(t)}");
    if (bench is not null)
        Console.WriteLine($"evaluation at {bench.Size} px ({bench.Device}): autotuning off {bench.MedianMsOff:F1} ms, on {bench.MedianMsOn:F1} ms (median of {bench.Reps}; first with tuning {bench.FirstMsOn:F0} ms)");
    if (oom is not null)
        Console.WriteLine($"out-of-memory probe:      {(oom.Recognised ? "recognised" : "NOT recognised")}; CUDA usable after: {(oom.UsableAfter ? "yes" : "no")} — {oom.FirstLine}");
    if (Opt("--json") is { } path) File.WriteAllText(path, JsonSerializer.Serialize(report, json));
    return cuda ? 0 : 1;
}

BenchResult Bench(Device device, int size, int reps)
{
    using var net = new Vgg19(seed: 0);
    net.to(device);
    using var content = rand(new long[] { 1, 3, size, size }, generator: new Generator(1)).to(device);
    using var style = rand(new long[] { 1, 3, size, size }, generator: new Generator(2)).to(device);
    var d = net.Defaults;
    using var objective = StyleTransferObjective.Create(net, content, style, d.Layers, d.Normalization, d.ContentWeight, d.StyleWeight, d.TvWeight);
    using var x = content.clone().requires_grad_(true);

    double Once()
    {
        var clock = Stopwatch.StartNew();
        using (NewDisposeScope())
        {
            var (total, _) = objective.Evaluate(x);
            total.backward();
            x.grad?.zero_();
        }
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
        return clock.Elapsed.TotalMilliseconds;
    }

    (double First, double Median) Run(bool autotune)
    {
        CudnnBenchmark.TrySetEnabled(autotune);
        double first = Once();
        var times = Enumerable.Range(0, reps).Select(_ => Once()).Order().ToList();
        return (first, times[times.Count / 2]);
    }

    bool? before = CudnnBenchmark.Enabled;
    var off = Run(false);
    var on = Run(true);
    if (before is bool b) CudnnBenchmark.TrySetEnabled(b);
    return new BenchResult(device.type.ToString().ToLowerInvariant(), size, reps, off.First, off.Median, on.First, on.Median,
        device.type == DeviceType.CUDA ? CudaMemory.UsedBytes() : null);
}

OomProbe Oom()
{
    Exception? caught = null;
    try
    {
        using var huge = empty(new long[] { 1L << 40 }, dtype: ScalarType.Float32, device: torch.CUDA); // 4 TiB
    }
    catch (Exception ex) { caught = ex; }
    bool usable;
    try
    {
        using var small = ones(new long[] { 1024 }, device: torch.CUDA);
        usable = small.sum().item<float>() == 1024f;
    }
    catch (Exception) { usable = false; }
    string first = caught?.Message.Split('\n')[0].Trim() ?? "no exception: a 4 TiB allocation succeeded";
    return new OomProbe(caught?.GetType().FullName ?? "none", first, CudaOutOfMemory.IsOutOfMemory(caught), usable);
}

int Report()
{
    string devicePath = Opt("--device") ?? throw new NotebookStyleException("report needs --device FILE");
    string metricsPath = Opt("--metrics") ?? throw new NotebookStyleException("report needs --metrics FILE");
    var dev = JsonSerializer.Deserialize<DeviceReport>(File.ReadAllText(devicePath), json)!;
    using var metricsDoc = JsonDocument.Parse(File.ReadAllText(metricsPath));
    var m = metricsDoc.RootElement;
    double Num(string name) => m.GetProperty(name).GetDouble();
    string Str(string name) => m.TryGetProperty(name, out var v) ? v.ToString() : "?";
    int evaluations = m.GetProperty("evaluations").GetInt32();
    double seconds = Num("optimisationSeconds");

    var rows = new List<(string, string)>
    {
        ("GPU", $"{dev.Gpu} (driver {dev.Driver}{(dev.GpuTotalBytes is long t ? $", {Gib(t)}" : "")})"),
        ("CUDA from TorchSharp", dev.CudaAvailable ? $"yes, {dev.CudaDevices} device(s), cuDNN {(dev.CudnnAvailable ? "yes" : "no")}" : $"no: {dev.Unavailable}"),
        ("cuDNN autotuning", dev.CudnnBenchmarkSupported ? "reachable; on during runs" : "not reachable"),
    };
    if (dev.Bench is { } b)
    {
        rows.Add(($"one evaluation, {b.Size}² px, {b.Device}, autotuning off", $"{b.MedianMsOff:F1} ms (median of {b.Reps}; first {b.FirstMsOff:F0} ms)"));
        rows.Add(($"one evaluation, {b.Size}² px, {b.Device}, autotuning on", $"{b.MedianMsOn:F1} ms (median of {b.Reps}; first, tuning, {b.FirstMsOn:F0} ms)"));
    }
    rows.Add(("stylisation", $"{Str("width")}×{Str("height")} px, {Str("network")} ({Str("weights")}), {Str("optimizer")}, init {Str("init")}, device {Str("device")}"));
    rows.Add(("iterations / evaluations", $"{Str("iterations")} / {evaluations} (stopped: {Str("stopReason")})"));
    rows.Add(("optimisation time", $"{seconds:F2} s (loading {Num("loadSeconds"):F2} s)"));
    rows.Add(("time per evaluation", evaluations > 0 ? $"{1000 * seconds / evaluations:F1} ms (targets and the first, tuning evaluation included)" : "no evaluations"));
    rows.Add(("loss", $"{m.GetProperty("initial").GetProperty("total").GetDouble():G4} → {m.GetProperty("final").GetProperty("total").GetDouble():G4}"));
    if (Opt("--memory") is { } memPath && File.Exists(memPath))
    {
        var samples = File.ReadLines(memPath)
            .Select(l => long.TryParse(l.Trim().Split(',')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : (long?)null)
            .Where(v => v is not null).Select(v => v!.Value).ToList();
        long idle = long.TryParse(Opt("--idle"), CultureInfo.InvariantCulture, out long i) ? i : 0;
        rows.Add(("peak GPU memory (nvidia-smi, device)", samples.Count == 0
            ? "no samples"
            : $"{samples.Max()} MiB, {samples.Max() - idle} MiB above idle ({samples.Count} samples)"));
    }
    if (dev.Oom is { } o)
        rows.Add(("out-of-memory probe", $"{(o.Recognised ? "recognised as CudaOutOfMemory" : "NOT recognised")}; CUDA usable after: {(o.UsableAfter ? "yes" : "no")}"));

    int w = rows.Max(r => r.Item1.Length);
    Console.WriteLine($"| {"measure".PadRight(w)} | value |");
    Console.WriteLine($"|{new string('-', w + 2)}|-------|");
    foreach (var (k, v) in rows) Console.WriteLine($"| {k.PadRight(w)} | {v} |");
    return 0;
}

static (string Gpu, string Driver) NvidiaSmi()
{
    try
    {
        using var p = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name,driver_version --format=csv,noheader")
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string line = p.StandardOutput.ReadLine() ?? "";
        p.WaitForExit(10_000);
        var parts = line.Split(',', StringSplitOptions.TrimEntries);
        return p.ExitCode == 0 && parts.Length == 2 ? (parts[0], parts[1]) : ("none", "none");
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return ("none (no nvidia-smi)", "none");
    }
}

static string Gib(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):F1} GiB";
