using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// What control over the result costs per evaluation (issue #12: regions and blends add at most 15 %): one process per
/// call, for each network, the time of one loss-and-gradient evaluation (<see cref="ObjectiveEvaluator.Evaluate"/>:
/// forward to the deepest tap, every loss term, backward) of the network's default objective at the content image for a
/// single style, a blend of two styles, a map of three regions with a style each (sky, water, the near tower's column of
/// the Golden Gate photo; the masks of <see cref="RegionMap"/> with its default blur), and the same map with the tower's
/// column kept as the photo (two styled regions and <see cref="KeptPixels"/>), each with the Gram and the Wasserstein
/// style loss. Variants alternate within every round (the order rotates from round to round), so that
/// the machine's noise falls on all of them alike; the first evaluation of each is not timed. Prints a markdown table
/// (median and min–max ms per evaluation, and the median against the single style with the same loss) and writes JSON.
/// </summary>
internal static class ControlCostRun
{
    private sealed record Variant(string Name, StyleLossKind Loss, string Control, StyleTransferObjective Objective, ObjectiveEvaluator Evaluator);

    public static int Run(Arguments a)
    {
        string images = a.Text("images");
        int size = a.Int("size", 512), rounds = a.Int("rounds", 3), evals = a.Int("evals", 5);
        var losses = a.List("losses", "gram,wasserstein").Select(l => Enum.Parse<StyleLossKind>(l, ignoreCase: true)).ToList();
        string? weights = a.Text("weights", "") is { Length: > 0 } w ? w : null;
        string load0 = File.ReadAllText("/proc/loadavg").Trim();
        var started = DateTime.UtcNow;

        using var content = ImageTensor.Load(Path.Combine(images, "golden_gate.jpg"), size);
        // Styles at the default style scale (1: the content's long side), as the driver resizes them.
        Tensor Style(string name)
        {
            using var full = ImageTensor.Load(Path.Combine(images, name + ".jpg"), 2 * size);
            return StyleTransfer.ResizeStyle(full, content, 1.0);
        }
        using var sky = Style("starry_night");
        using var water = Style("great_wave");
        using var tower = Style("the_scream");
        long h = content.shape[2], wd = content.shape[3];
        using var drawing = RegionDrawing(h, wd);
        using var map = RegionMap.FromImage(drawing, h, wd);
        using var coverage = map.Mask("ff0000").add(map.Mask("0000ff")).clamp(0, 1);
        using var keep = new KeptPixels(content, coverage);
        var controls = new (string Name, IReadOnlyList<StyleRegion> Regions, KeptPixels? Keep)[]
        {
            ("single", [new StyleRegion(null, [new WeightedStyle(sky, 1)])], null),
            ("blend of 2", [new StyleRegion(null, [new WeightedStyle(sky, 0.5), new WeightedStyle(water, 0.5)])], null),
            ("3 regions", [new StyleRegion(map.Mask("ff0000"), [new WeightedStyle(sky, 1)]), new StyleRegion(map.Mask("0000ff"), [new WeightedStyle(water, 1)]),
                new StyleRegion(map.Mask("00ff00"), [new WeightedStyle(tower, 1)])], null),
            ("2 regions + photo kept", [new StyleRegion(map.Mask("ff0000"), [new WeightedStyle(sky, 1)]), new StyleRegion(map.Mask("0000ff"), [new WeightedStyle(water, 1)])], keep),
        };

        var rows = new JsonArray();
        var markdown = new StringBuilder();
        markdown.AppendLine("| network | size | style loss | control | ms/eval median (min–max) | vs single | evaluations |");
        markdown.AppendLine("|---|---|---|---|---|---:|---:|");
        foreach (var networkName in a.List("networks", "resnet18,vgg19"))
        {
            var choice = Networks.Parse(networkName);
            var options = choice == NetworkChoice.Vgg19
                ? weights is null ? new NetworkOptions { RandomSeed = 0 } : new NetworkOptions { WeightsPath = weights }
                : new NetworkOptions();
            var loaded = Networks.Load(choice, CPU, options);
            using var net = loaded.Network;
            using var x = new Parameter(content.clone().contiguous(), requires_grad: true);
            var variants = new List<Variant>();
            try
            {
                foreach (var loss in losses)
                    foreach (var (name, regions, kept) in controls)
                    {
                        var settings = ResolvedSettings.Resolve(new StyleTransferSettings { StyleLoss = loss }, net);
                        var objective = settings.CreateObjective(net, content, regions);
                        variants.Add(new Variant($"{loss} {name}", loss, name, objective, new ObjectiveEvaluator(objective, x) { Keep = kept }));
                    }
                var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
                var cpu = variants.ToDictionary(v => v.Name, _ => 0.0);
                var wall = variants.ToDictionary(v => v.Name, _ => 0.0);
                foreach (var v in variants) v.Evaluator.Evaluate(); // warm-up: not timed
                using var self = Process.GetCurrentProcess();
                for (int round = 0; round < rounds; round++)
                {
                    for (int i = 0; i < variants.Count; i++)
                    {
                        var v = variants[(i + round) % variants.Count];
                        self.Refresh();
                        var c0 = self.TotalProcessorTime;
                        long t0 = Stopwatch.GetTimestamp();
                        for (int e = 0; e < evals; e++)
                        {
                            long s = Stopwatch.GetTimestamp();
                            v.Evaluator.Evaluate();
                            times[v.Name].Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
                        }
                        wall[v.Name] += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                        self.Refresh();
                        cpu[v.Name] += (self.TotalProcessorTime - c0).TotalMilliseconds;
                    }
                    Console.Error.WriteLine($"{net.NetworkName}: round {round + 1} of {rounds} done");
                }
                foreach (var v in variants)
                {
                    var single = variants.First(s => s.Loss == v.Loss && s.Control == "single");
                    double median = Report.Median(times[v.Name]), baseline = Report.Median(times[single.Name]);
                    double cpuUse = cpu[v.Name] / (wall[v.Name] * torch.get_num_threads());
                    string relative = ReferenceEquals(v, single) ? "–" : $"{(median / baseline - 1) * 100:+0;-0}%";
                    markdown.AppendLine(CultureInfo.InvariantCulture,
                        $"| {net.NetworkName} | {wd}×{h} | {v.Loss} | {v.Control} | {median:F0} ({times[v.Name].Min():F0}–{times[v.Name].Max():F0}) | {relative} | {times[v.Name].Count} |");
                    rows.Add(new JsonObject
                    {
                        ["network"] = net.NetworkName, ["weights"] = loaded.Weights, ["width"] = wd, ["height"] = h,
                        ["style_loss"] = v.Loss.ToString(), ["control"] = v.Control, ["losses"] = v.Objective.Losses.Count,
                        ["ms"] = Report.Array(times[v.Name]), ["median_ms"] = median, ["vs_single"] = median / baseline - 1, ["cpu_use"] = cpuUse,
                    });
                }
            }
            finally
            {
                foreach (var v in variants)
                {
                    v.Evaluator.Dispose();
                    v.Objective.Dispose();
                }
            }
        }
        string load1 = File.ReadAllText("/proc/loadavg").Trim();
        string header = string.Create(CultureInfo.InvariantCulture,
            $"Control-cost run {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical CPUs, {torch.get_num_threads()} threads; {rounds} rounds × {evals} evaluations per variant, alternated; load average before {load0.Split(' ')[0]}/{load0.Split(' ')[1]}/{load0.Split(' ')[2]} (1/5/15 min), after {load1.Split(' ')[0]}/{load1.Split(' ')[1]}/{load1.Split(' ')[2]}.");
        Console.WriteLine(header);
        Console.WriteLine();
        Console.Write(markdown);
        if (a.Text("json", "") is { Length: > 0 } json)
        {
            Report.Write(new JsonObject
            {
                ["mode"] = "control-cost", ["date"] = started.ToString("O"), ["threads"] = torch.get_num_threads(), ["rounds"] = rounds, ["evals"] = evals,
                ["loadavg_before"] = load0, ["loadavg_after"] = load1, ["rows"] = rows, ["markdown"] = header + "\n\n" + markdown,
            }, json);
        }
        return 0;
    }

    /// <summary>The region map of the Golden Gate photo: red above the horizon (47 % of the height), blue below, green for the near tower's column (15–32 % of the width).</summary>
    public static Tensor RegionDrawing(long height, long width)
    {
        var map = zeros(1, 3, height, width);
        int horizon = (int)Math.Round(0.47 * height), from = (int)Math.Round(0.15 * width), to = (int)Math.Round(0.32 * width);
        map[0, 0, ..horizon, ..] = tensor(1f);
        map[0, 2, horizon.., ..] = tensor(1f);
        map[0, .., .., from..to] = tensor(0f);
        map[0, 1, .., from..to] = tensor(1f);
        return map;
    }
}
