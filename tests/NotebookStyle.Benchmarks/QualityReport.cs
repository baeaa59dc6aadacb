using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookStyle.Losses;
using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using NotebookStyle.Visualization;
using NotebookStyle.Weights;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// The quality report (tests/benchmarks/quality.sh): every photo with every painting, each preset, at each size; a contact
/// sheet per pair (content | style | one result per preset, figures in the captions), a markdown table and JSON with
/// the figures of <see cref="QualityFigures"/>, checked against the targets for the default preset.
/// </summary>
internal static class QualityReport
{
    /// <summary>The targets for the default preset at 256 px: where published VGG19 results sit (FACTS.md).</summary>
    public const double MaxColorRatio = 0.35, MinSsim = 0.30;

    private sealed record Row(string Photo, string Painting, string Preset, int Size, double ColorRatio, double Ssim,
        double StyleLoss, double ContentLoss, int Iterations, int Evaluations, double Seconds, string Sheet);

    public static int Run(Arguments a)
    {
        string images = a.Text("images"), outDir = a.Text("out");
        int iterations = a.Int("iterations", 200);
        var presets = a.List("presets", "default,strong,subtle").Select(p => Enum.Parse<StylePreset>(p, ignoreCase: true)).ToList();
        string? weights = a.Text("weights", "") is { Length: > 0 } w ? w : null;
        var loaded = Networks.Load(Networks.Parse(a.Text("network", "resnet18")), CPU, new NetworkOptions { WeightsPath = weights });
        using var net = loaded.Network;
        foreach (var notice in loaded.Notices) Console.Error.WriteLine($"notice: {notice}");
        string weightsName = Path.IsPathRooted(loaded.Weights) ? Path.GetFileName(loaded.Weights) : loaded.Weights;
        var overrides = Overrides(a.Text("set", ""));
        var sections = a.List("sections", "presets");
        int status = 0;
        if (sections.Contains("presets")) status = Presets(a, net, weightsName, images, outDir, iterations, presets, overrides);
        var control = sections.Where(s => s != "presets").ToList();
        if (control.Count > 0) status |= Control(a, net, weightsName, images, outDir, iterations, overrides, control);
        return status;
    }

    /// <summary>The control sections (<see cref="ControlQuality"/>): blends, regions, losses; one markdown and JSON file per network.</summary>
    private static int Control(Arguments a, FeatureExtractor net, string weightsName, string images, string outDir, int iterations,
        Func<StyleTransferSettings, StyleTransferSettings> overrides, IReadOnlyList<string> sections)
    {
        int size = a.Int("control-size", 256);
        var report = new ControlQuality(net, images, outDir, size, iterations, overrides);
        var md = new StringBuilder();
        var rows = new JsonArray();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Control over the result: {net.NetworkName} ({weightsName}), {DateTime.UtcNow:yyyy-MM-dd}");
        foreach (var section in sections)
        {
            var (text, sectionRows) = section switch
            {
                "blends" => report.Blends(a.Text("blend-photo", "golden_gate"), a.List("blend-styles", "starry_night,great_wave")[0],
                    a.List("blend-styles", "starry_night,great_wave")[1], [.. a.List("blend-weights", "1,0.75,0.5,0.25,0").Select(w => double.Parse(w, CultureInfo.InvariantCulture))]),
                "regions" => report.Regions(a.List("region-styles", "starry_night,great_wave")[0], a.List("region-styles", "starry_night,great_wave")[1],
                    [.. a.List("region-losses", "gram,wasserstein").Select(l => Enum.Parse<StyleLossKind>(l, ignoreCase: true))]),
                "losses" => report.Losses(a.List("photos", "golden_gate,hoovertowernight"), a.List("paintings", "starry_night,great_wave,the_scream,woman-with-hat-matisse"),
                    [.. a.List("w2-style-scales", "1").Select(w => double.Parse(w, CultureInfo.InvariantCulture))]),
                _ => throw new ArgumentException($"--sections: unknown section '{section}' (presets, blends, regions, losses)."),
            };
            md.AppendLine();
            md.AppendLine($"## {section}");
            md.AppendLine();
            md.Append(text);
            foreach (var row in sectionRows) rows.Add(row!.DeepClone());
        }
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, $"{net.NetworkName}-control.md"), md.ToString());
        File.WriteAllText(Path.Combine(outDir, $"{net.NetworkName}-control.json"), new JsonObject
        {
            ["network"] = net.NetworkName, ["weights"] = weightsName, ["iterations"] = iterations, ["size"] = size,
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["rows"] = rows,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine();
        Console.WriteLine(md);
        return 0;
    }

    private static int Presets(Arguments a, FeatureExtractor net, string weightsName, string images, string outDir, int iterations,
        IReadOnlyList<StylePreset> presets, Func<StyleTransferSettings, StyleTransferSettings> overrides)
    {
        var rows = new List<Row>();
        foreach (int size in a.List("sizes", "256").Select(int.Parse))
        {
            string dir = Path.Combine(outDir, $"{net.NetworkName}-{size}");
            Directory.CreateDirectory(dir);
            foreach (var photo in a.List("photos", "golden_gate,hoovertowernight"))
            foreach (var painting in a.List("paintings", "starry_night,great_wave,the_scream,woman-with-hat-matisse"))
            {
                using var content = ImageTensor.Load(Path.Combine(images, photo + ".jpg"), size);
                // The style at full resolution (bounded): the driver resizes it to each preset's style scale.
                using var style = ImageTensor.Load(Path.Combine(images, painting + ".jpg"), 4 * size);
                using var styleShown = ImageTensor.Load(Path.Combine(images, painting + ".jpg"), size);
                var panels = new List<Panel> { Panel.Of(content, photo), Panel.Of(styleShown, painting) };
                string sheet = Path.Combine(dir, $"{photo}--{painting}.png");
                foreach (var preset in presets)
                {
                    var settings = overrides(new StyleTransferSettings { Preset = preset, Iterations = iterations });
                    var clock = Stopwatch.StartNew();
                    using var result = StyleTransfer.Run(net, content, style, settings);
                    var q = QualityFigures.Measure(result, content, styleShown);
                    var row = new Row(photo, painting, preset.ToString().ToLowerInvariant(), size, q.ColorRatio, q.Ssim, q.StyleLoss, q.ContentLoss,
                        result.Iterations, result.Evaluations, clock.Elapsed.TotalSeconds, Path.GetRelativePath(outDir, sheet));
                    rows.Add(row);
                    Console.WriteLine(Line(row));
                    panels.Add(Panel.Of(result.Image, string.Create(CultureInfo.InvariantCulture, $"{row.Preset}: colour {q.ColorRatio:F2}, SSIM {q.Ssim:F2}")));
                }
                using (var image = ImageSheet.Row(panels, height: Math.Min(size, 384), title: $"{net.NetworkName} ({weightsName}), {size} px, {iterations} iterations"))
                    image.SaveAsPng(sheet);
                foreach (var p in panels) p.Image.Dispose();
            }
        }

        var markdown = Markdown(rows, net.NetworkName, weightsName, iterations);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, $"{net.NetworkName}.md"), markdown);
        File.WriteAllText(Path.Combine(outDir, $"{net.NetworkName}.json"), JsonSerializer.Serialize(new
        {
            network = net.NetworkName, weights = weightsName, iterations, targets = new { maxColorRatio = MaxColorRatio, minSsim = MinSsim },
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows,
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        Console.WriteLine();
        Console.WriteLine(markdown);
        return 0;
    }

    private static string Line(Row r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Size,4} {r.Photo,-17} {r.Painting,-23} {r.Preset,-8} colour {r.ColorRatio:F3}  SSIM {r.Ssim:F3}  style {r.StyleLoss:G3}  content {r.ContentLoss:G3}  {r.Seconds:F0} s");

    private static bool Meets(Row r) => r.ColorRatio <= MaxColorRatio && r.Ssim >= MinSsim;

    private static string Markdown(List<Row> rows, string network, string weights, int iterations)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Quality of {network} ({weights}), {iterations} L-BFGS iterations, content init; colour ratio (0 = the painting's palette, 1 = the photo's) and SSIM of luminance to the photo. Targets for the default preset: colour ≤ {MaxColorRatio}, SSIM ≥ {MinSsim}.");
        sb.AppendLine();
        var presets = rows.Select(r => r.Preset).Distinct().ToList();
        sb.AppendLine("| size | photo | painting | " + string.Join(" | ", presets.Select(p => $"{p}: colour / SSIM")) + " |");
        sb.AppendLine("|---:|---|---|" + string.Concat(presets.Select(_ => "---:|")));
        foreach (var g in rows.GroupBy(r => (r.Size, r.Photo, r.Painting)))
        {
            var cells = presets.Select(p => g.FirstOrDefault(r => r.Preset == p) is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"{r.ColorRatio:F2} / {r.Ssim:F2}{(p == "default" && !Meets(r) ? " ✗" : "")}")
                : "");
            sb.AppendLine($"| {g.Key.Size} | {g.Key.Photo} | {g.Key.Painting} | {string.Join(" | ", cells)} |");
        }
        var defaults = rows.Where(r => r.Preset == "default").ToList();
        if (defaults.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Default preset: {defaults.Count(Meets)} of {defaults.Count} pairs within the targets; colour {defaults.Min(r => r.ColorRatio):F2}–{defaults.Max(r => r.ColorRatio):F2}, SSIM {defaults.Min(r => r.Ssim):F2}–{defaults.Max(r => r.Ssim):F2}."));
        }
        return sb.ToString();
    }

    // Tuning: "StyleWeight=30;TvWeight=1e-3;Color=palette" applied on top of every preset.
    private static Func<StyleTransferSettings, StyleTransferSettings> Overrides(string spec)
    {
        var pairs = spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).ToList();
        return s =>
        {
            foreach (var kv in pairs)
            {
                double D() => double.Parse(kv[1], CultureInfo.InvariantCulture);
                s = kv[0] switch
                {
                    "StyleWeight" => s with { StyleWeight = D() },
                    "ContentWeight" => s with { ContentWeight = D() },
                    "TvWeight" => s with { TvWeight = D() },
                    "StyleScale" => s with { StyleScale = D() },
                    "HistogramStrength" => s with { HistogramStrength = D() },
                    "Color" => s with { Color = Enum.Parse<ColorMode>(kv[1], ignoreCase: true) },
                    "Scales" => s with { Scales = (int)D() },
                    "Iterations" => s with { Iterations = (int)D() },
                    _ => throw new ArgumentException($"--set: unknown setting '{kv[0]}' (StyleWeight, ContentWeight, TvWeight, StyleScale, HistogramStrength, Color, Scales, Iterations)."),
                };
            }
            return s;
        };
    }
}
