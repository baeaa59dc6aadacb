using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// The quality report's sections on control over the result (issue #12; <c>quality --sections blends,regions,losses</c>):
/// a blend's weight grid, styles per region with each region's figures and the border step, and the Gram against the
/// Wasserstein style loss over the photo × painting pairs. Each section writes contact sheets and returns its markdown
/// and JSON rows.
/// </summary>
internal sealed class ControlQuality(FeatureExtractor net, string images, string outDir, int size, int iterations,
    Func<StyleTransferSettings, StyleTransferSettings> overrides)
{
    /// <summary>Issue #12's targets: a region's colour ratio to its own painting, its margin to the other's, the kept region's SSIM, the border step.</summary>
    public const double MaxOwnColor = 0.35, MinOtherMargin = 0.3, MinKeptSsim = 0.8, MaxBorderStep = 1.2;

    private string Dir => Path.Combine(outDir, $"{net.NetworkName}-{size}-control");

    private Tensor Load(string name, int longSide) => ImageTensor.Load(Path.Combine(images, name + ".jpg"), longSide);

    private StyleTransferSettings Settings(StyleLossKind loss = StyleLossKind.Gram) =>
        overrides(new StyleTransferSettings { Iterations = iterations, Seed = 1, StyleLoss = loss });

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private (StyleTransferResult Result, double Seconds) Timed(Func<StyleTransferResult> run)
    {
        var clock = Stopwatch.StartNew();
        var r = run();
        return (r, clock.Elapsed.TotalSeconds);
    }

    private void Save(string name, IEnumerable<Panel> panels, string title)
    {
        Directory.CreateDirectory(Dir);
        var list = panels.ToList();
        using (var image = ImageSheet.Row(list, height: Math.Min(size, 384), title: title)) image.SaveAsPng(Path.Combine(Dir, name));
        foreach (var p in list) p.Image.Dispose();
    }

    private string Title(string what) => $"{net.NetworkName}, {size} px, {iterations} iterations: {what}";

    /// <summary>One photo, two paintings, the weight of the first over a grid: colour ratio to each, SSIM, losses.</summary>
    public (string Markdown, JsonArray Rows) Blends(string photo, string a, string b, IReadOnlyList<double> weights)
    {
        using var content = Load(photo, size);
        using var styleA = Load(a, 4 * size);
        using var styleB = Load(b, 4 * size);
        using var shownA = Load(a, size);
        using var shownB = Load(b, size);
        var rows = new JsonArray();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Blend of {a} (A) and {b} (B) on {photo}, {size} px, {iterations} L-BFGS iterations, the network's default preset; colour ratio 0 = that painting's palette, 1 = the photo's.");
        md.AppendLine();
        md.AppendLine("| weight of A | colour ratio to A | colour ratio to B | SSIM | style loss | content loss | s |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        var panels = new List<Panel> { Panel.Of(content, photo), Panel.Of(shownA, $"A: {a}"), Panel.Of(shownB, $"B: {b}") };
        var toA = new List<double>();
        var toB = new List<double>();
        foreach (double w in weights)
        {
            var (r, seconds) = Timed(() => StyleTransfer.Run(net, content, [new WeightedStyle(styleA, w), new WeightedStyle(styleB, 1 - w)], Settings()));
            using (r)
            {
                double ra = SlicedWasserstein.ColorRatio(r.Image, content, shownA), rb = SlicedWasserstein.ColorRatio(r.Image, content, shownB);
                double ssim = Ssim.Luminance(r.Image, content);
                toA.Add(ra);
                toB.Add(rb);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {w:0.##} | {F(ra)} | {F(rb)} | {F(ssim)} | {r.Final["style"]:G3} | {r.Final["content"]:G3} | {seconds:F0} |");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"blend A {w:0.##}: to A {ra:F3}, to B {rb:F3}, SSIM {ssim:F3}, {seconds:F0} s"));
                rows.Add(new JsonObject
                {
                    ["section"] = "blends", ["photo"] = photo, ["a"] = a, ["b"] = b, ["weightA"] = w, ["colorRatioA"] = ra, ["colorRatioB"] = rb,
                    ["ssim"] = ssim, ["styleLoss"] = r.Final["style"], ["contentLoss"] = r.Final["content"], ["seconds"] = seconds,
                    ["evaluations"] = r.Evaluations, ["sheet"] = Path.GetRelativePath(outDir, Path.Combine(Dir, "blend.png")),
                });
                panels.Add(Panel.Of(r.Image, string.Create(CultureInfo.InvariantCulture, $"A {w:0.##}: A {ra:F2} / B {rb:F2}")));
            }
        }
        Save("blend.png", panels, Title($"blend of {a} (A) and {b} (B); captions: colour ratio to A / to B"));
        bool monotonic = Enumerable.Range(1, toA.Count - 1).All(i => toA[i] > toA[i - 1] && toB[i] < toB[i - 1]);
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"As A's weight goes {weights[0]:0.##} → {weights[^1]:0.##} the colour ratio to A rises {F(toA[0])} → {F(toA[^1])} and to B falls {F(toB[0])} → {F(toB[^1])}: {(monotonic ? "monotonic ✓" : "not monotonic ✗")} (a distance: the result moves from A's palette to B's)."));
        return (md.ToString(), rows);
    }

    /// <summary>
    /// The Golden Gate photo with a region map drawn by a fixed rule (sky | water | the near tower's column kept as the
    /// photo), a painting per styled region; per region its colour ratio to its own and to the other painting (over its own
    /// pixels) and SSIM; the border step of the result, of the photo, and of the naive way (each painting over the whole
    /// photo, pasted together by the hard map); for each style loss.
    /// </summary>
    public (string Markdown, JsonArray Rows) Regions(string sky, string water, IReadOnlyList<StyleLossKind> losses)
    {
        const string photo = "golden_gate";
        using var content = Load(photo, size);
        using var skyStyle = Load(sky, 4 * size);
        using var waterStyle = Load(water, 4 * size);
        using var skyShown = Load(sky, size);
        using var waterShown = Load(water, size);
        long h = content.shape[2], w = content.shape[3];
        using var drawing = ControlCostRun.RegionDrawing(h, w);
        using var soft = RegionMap.FromImage(drawing, h, w);
        using var hard = RegionMap.FromImage(drawing, h, w, blur: 0);
        using var skyMask = hard.Mask("ff0000");
        using var waterMask = hard.Mask("0000ff");
        using var keepMask = hard.Mask("00ff00");
        using var labels = RegionLabels.FromMasks([skyMask, waterMask, keepMask]);
        var photoStep = BorderStep.Measure(content, labels);
        var rows = new JsonArray();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Styles per region on {photo}, {w}×{h}, {iterations} L-BFGS iterations, the network's default preset: sky (above 47 % of the height) {sky}, water {water}, the near tower's column (15–32 % of the width) kept as the photo; soft masks (blur σ = 2 % of the long side), figures over each region's own pixels (hard map). Border step: band of ±{photoStep.HalfWidth} px around the borders against each region's ring just outside it (largest side; pooled in brackets); the photo's own is {F(photoStep.Step)} ({F(photoStep.Pooled)}). Targets: own colour ≤ {MaxOwnColor}, other ≥ own + {MinOtherMargin}, kept SSIM ≥ {MinKeptSsim}, step ≤ {MaxBorderStep}.");
        md.AppendLine();
        md.AppendLine("| style loss | sky: colour to own / other | sky SSIM | water: colour to own / other | water SSIM | kept: SSIM | border step | pasted single-style results' step | s (regions / 2 single) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var loss in losses)
        {
            var settings = Settings(loss);
            var (r, seconds) = Timed(() => StyleTransfer.Run(net, content,
                [new StyleRegion(soft.Mask("ff0000"), [new WeightedStyle(skyStyle, 1)]), new StyleRegion(soft.Mask("0000ff"), [new WeightedStyle(waterStyle, 1)])], settings));
            var (allSky, skySeconds) = Timed(() => StyleTransfer.Run(net, content, skyStyle, settings));
            var (allWater, waterSeconds) = Timed(() => StyleTransfer.Run(net, content, waterStyle, settings));
            using (r)
            using (allSky)
            using (allWater)
            {
                using var pasted = allSky.Image.mul(skyMask).add(allWater.Image.mul(waterMask)).add(content.mul(keepMask));
                double skyOwn = RegionColor.ColorRatio(r.Image, content, skyShown, skyMask), skyOther = RegionColor.ColorRatio(r.Image, content, waterShown, skyMask);
                double waterOwn = RegionColor.ColorRatio(r.Image, content, waterShown, waterMask), waterOther = RegionColor.ColorRatio(r.Image, content, skyShown, waterMask);
                double skySsim = RegionSsim.Luminance(r.Image, content, skyMask), waterSsim = RegionSsim.Luminance(r.Image, content, waterMask);
                double kept = RegionSsim.Luminance(r.Image, content, keepMask);
                var step = BorderStep.Measure(r.Image, labels);
                var pastedStep = BorderStep.Measure(pasted, labels);
                string Mark(bool ok) => ok ? " ✓" : " ✗";
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {loss} | {F(skyOwn)} / {F(skyOther)}{Mark(skyOwn <= MaxOwnColor && skyOther >= skyOwn + MinOtherMargin)} | {F(skySsim)} | {F(waterOwn)} / {F(waterOther)}{Mark(waterOwn <= MaxOwnColor && waterOther >= waterOwn + MinOtherMargin)} | {F(waterSsim)} | {F(kept)}{Mark(kept >= MinKeptSsim)} | {F(step.Step)} ({F(step.Pooled)}){Mark(step.Step <= MaxBorderStep)} | {F(pastedStep.Step)} ({F(pastedStep.Pooled)}) | {seconds:F0} / {skySeconds + waterSeconds:F0} |"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"regions {loss}: sky {skyOwn:F3}/{skyOther:F3}, water {waterOwn:F3}/{waterOther:F3}, kept SSIM {kept:F3}, step {step.Step:F3} ({step.Pooled:F3}), pasted {pastedStep.Step:F3}, {seconds:F0} s"));
                rows.Add(new JsonObject
                {
                    ["section"] = "regions", ["styleLoss"] = loss.ToString(), ["sky"] = sky, ["water"] = water,
                    ["skyColorOwn"] = skyOwn, ["skyColorOther"] = skyOther, ["skySsim"] = skySsim,
                    ["waterColorOwn"] = waterOwn, ["waterColorOther"] = waterOther, ["waterSsim"] = waterSsim, ["keptSsim"] = kept,
                    ["borderStep"] = step.Step, ["borderStepPooled"] = step.Pooled, ["photoBorderStep"] = photoStep.Step,
                    ["pastedBorderStep"] = pastedStep.Step, ["pastedBorderStepPooled"] = pastedStep.Pooled, ["halfWidth"] = step.HalfWidth,
                    ["sides"] = new JsonArray([.. step.Regions.Select(s => (JsonNode)new JsonObject { ["label"] = s.Label, ["band"] = s.Band, ["own"] = s.Own })]),
                    ["seconds"] = seconds, ["evaluations"] = r.Evaluations, ["singleSeconds"] = skySeconds + waterSeconds,
                    ["sheet"] = Path.GetRelativePath(outDir, Path.Combine(Dir, $"regions-{loss.ToString().ToLowerInvariant()}.png")),
                });
                Save($"regions-{loss.ToString().ToLowerInvariant()}.png",
                    [Panel.Of(content, photo), Panel.Of(drawing, "map: sky | water | kept"), Panel.Of(skyShown, sky), Panel.Of(waterShown, water),
                     Panel.Of(r.Image, string.Create(CultureInfo.InvariantCulture, $"regions: step {step.Step:F2}")),
                     Panel.Of(pasted, string.Create(CultureInfo.InvariantCulture, $"pasted: step {pastedStep.Step:F2}")),
                     Panel.Of(allSky.Image, $"{sky} only"), Panel.Of(allWater.Image, $"{water} only")],
                    Title($"styles per region, {loss} style loss"));
            }
        }
        return (md.ToString(), rows);
    }

    /// <summary>Every photo × painting with the Gram and the Wasserstein style loss (and optional multiples of the style weight for the latter).</summary>
    public (string Markdown, JsonArray Rows) Losses(IReadOnlyList<string> photos, IReadOnlyList<string> paintings, IReadOnlyList<double> w2Scales)
    {
        var rows = new JsonArray();
        var variants = new List<(string Name, StyleLossKind Loss, double Scale)> { ("Gram", StyleLossKind.Gram, 1) };
        variants.AddRange(w2Scales.Select(s => (s == 1 ? "Wasserstein" : string.Create(CultureInfo.InvariantCulture, $"Wasserstein, style × {s:G3}"), StyleLossKind.Wasserstein, s)));
        var figures = variants.ToDictionary(v => v.Name, _ => new List<(double Color, double Ssim, double MsPerEval)>());
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Gram against Wasserstein-2 style loss, {net.NetworkName}, {size} px, {iterations} L-BFGS iterations, the network's default preset otherwise; colour ratio / SSIM per pair, ms per evaluation.");
        md.AppendLine();
        md.AppendLine("| photo × painting | " + string.Join(" | ", variants.Select(v => $"{v.Name}: colour / SSIM | ms/eval")) + " |");
        md.AppendLine("|---|" + string.Concat(variants.Select(_ => "---:|---:|")));
        foreach (var photo in photos)
        foreach (var painting in paintings)
        {
            using var content = Load(photo, size);
            using var style = Load(painting, 4 * size);
            using var shown = Load(painting, size);
            var panels = new List<Panel> { Panel.Of(content, photo), Panel.Of(shown, painting) };
            var cells = new List<string>();
            foreach (var (name, loss, scale) in variants)
            {
                var settings = Settings(loss);
                if (scale != 1) settings = settings with { StyleWeight = net.Defaults.StyleWeight * scale };
                var (r, seconds) = Timed(() => StyleTransfer.Run(net, content, style, settings));
                using (r)
                {
                    double color = SlicedWasserstein.ColorRatio(r.Image, content, shown), ssim = Ssim.Luminance(r.Image, content);
                    double msPerEval = 1000 * seconds / Math.Max(1, r.Evaluations);
                    figures[name].Add((color, ssim, msPerEval));
                    cells.Add(string.Create(CultureInfo.InvariantCulture, $"{F(color)} / {F(ssim)} | {msPerEval:F0}"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{photo} × {painting} {name}: colour {color:F3}, SSIM {ssim:F3}, style {r.Final["style"]:G3}, content {r.Final["content"]:G3}, {msPerEval:F0} ms/eval"));
                    rows.Add(new JsonObject
                    {
                        ["section"] = "losses", ["photo"] = photo, ["painting"] = painting, ["variant"] = name, ["styleLoss"] = loss.ToString(), ["styleWeightScale"] = scale,
                        ["colorRatio"] = color, ["ssim"] = ssim, ["styleLossValue"] = r.Final["style"], ["contentLoss"] = r.Final["content"],
                        ["seconds"] = seconds, ["evaluations"] = r.Evaluations, ["msPerEvaluation"] = msPerEval,
                        ["sheet"] = Path.GetRelativePath(outDir, Path.Combine(Dir, $"losses-{photo}--{painting}.png")),
                    });
                    panels.Add(Panel.Of(r.Image, string.Create(CultureInfo.InvariantCulture, $"{name}: colour {color:F2}, SSIM {ssim:F2}")));
                }
            }
            md.AppendLine($"| {photo} × {painting} | {string.Join(" | ", cells)} |");
            Save($"losses-{photo}--{painting}.png", panels, Title("Gram against Wasserstein style loss"));
        }
        md.AppendLine();
        foreach (var (name, list) in figures)
        {
            int meets = list.Count(f => f.Color <= QualityReport.MaxColorRatio && f.Ssim >= QualityReport.MinSsim);
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- {name}: colour {list.Min(f => f.Color):F2}–{list.Max(f => f.Color):F2} (mean {list.Average(f => f.Color):F2}), SSIM {list.Min(f => f.Ssim):F2}–{list.Max(f => f.Ssim):F2} (mean {list.Average(f => f.Ssim):F2}), {meets} of {list.Count} within colour ≤ {QualityReport.MaxColorRatio} and SSIM ≥ {QualityReport.MinSsim}; median {Report.Median(list.Select(f => f.MsPerEval)):F0} ms/eval."));
        }
        return (md.ToString(), rows);
    }
}
