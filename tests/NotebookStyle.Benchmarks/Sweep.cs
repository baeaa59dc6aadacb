using System.Globalization;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using NotebookStyle.Visualization;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>Tuning sweep: variants of settings over image pairs, a table of quality figures and one sheet per pair.</summary>
internal static class Sweep
{
    public static int Run(Arguments a)
    {
        string images = a.Text("images", "../shared/images"), outDir = a.Text("out", "out/sweep");
        int size = a.Int("size", 128);
        var loaded = Networks.Load(Networks.Parse(a.Text("network", "resnet18")), CPU, new NetworkOptions { AllowDownload = false, WeightsPath = a.Text("weights", "") is { Length: > 0 } w ? w : null });
        var net = loaded.Network;
        var variants = a.Text("variants").Split('|').Select(v => v.Split(':', 2)).Select(v => (Name: v[0], Spec: v.Length > 1 ? v[1] : "")).ToList();
        Directory.CreateDirectory(outDir);
        var table = new List<string>();
        foreach (var photo in a.List("photos", "golden_gate,hoovertowernight"))
        foreach (var painting in a.List("paintings", "starry_night,great_wave,the_scream,woman-with-hat-matisse"))
        {
            using var content = ImageTensor.Load(Path.Combine(images, photo + ".jpg"), size);
            var panels = new List<Panel> { Panel.Of(content, photo), };
            using var styleShown = ImageTensor.Load(Path.Combine(images, painting + ".jpg"), size);
            panels.Add(Panel.Of(styleShown, painting));
            foreach (var (name, spec) in variants)
            {
                var kv = spec.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                double ss = kv.TryGetValue("ss", out var ssv) ? D(ssv) : 1.0;
                using var style = ImageTensor.Load(Path.Combine(images, painting + ".jpg"), (int)Math.Round(size * ss));
                var s = new StyleTransferSettings
                {
                    Iterations = kv.TryGetValue("it", out var it) ? int.Parse(it) : a.Int("iterations", 100),
                    Color = kv.TryGetValue("color", out var c) ? Enum.Parse<ColorMode>(c, true) : null,
                    StyleWeight = kv.TryGetValue("sw", out var sw) ? D(sw) : null,
                    ContentWeight = kv.TryGetValue("cw", out var cw) ? D(cw) : null,
                    TvWeight = kv.TryGetValue("tv", out var tv) ? D(tv) : null,
                    Scales = kv.TryGetValue("scales", out var sc) ? int.Parse(sc) : 1,
                    CoarseIterations = kv.TryGetValue("coarse", out var co) ? int.Parse(co) : null,
                    Init = kv.TryGetValue("init", out var ini) ? Enum.Parse<InitKind>(ini, true) : InitKind.Content,
                    Layers = kv.TryGetValue("layers", out var ly) ? ly.Split(',').Select(l => l.Split('/')).Select(l => new LayerWeights(l[0], D(l[1]), D(l[2]))).ToList() : null,
                };
                var t0 = DateTime.UtcNow;
                using var pre = kv.TryGetValue("pre", out var pr) ? Pre(pr, content, style) : content.alias();
                using var r = StyleTransfer.Run(net, pre, style, s);
                var q = QualityFigures.Measure(r, content, styleShown);
                table.Add(string.Create(CultureInfo.InvariantCulture, $"{photo,-18} {painting,-24} {name,-12} colour {q.ColorRatio:F3} ssim {q.Ssim:F3} style {q.StyleLoss:G3} content {q.ContentLoss:G3} {(DateTime.UtcNow - t0).TotalSeconds:F0}s"));
                Console.WriteLine(table[^1]);
                panels.Add(Panel.Of(r.Image, string.Create(CultureInfo.InvariantCulture, $"{name} c{q.ColorRatio:F2} s{q.Ssim:F2}")));
            }
            using var sheet = ImageSheet.Row(panels, height: Math.Min(size, 256));
            ImageTensor.SavePng(sheet, Path.Combine(outDir, $"{photo}--{painting}.png"));
            foreach (var p in panels) p.Image.Dispose();
        }
        File.WriteAllLines(Path.Combine(outDir, "table.txt"), table);
        return 0;
    }

    private static Tensor Pre(string kind, Tensor content, Tensor style)
    {
        using var scope = NewDisposeScope();
        var pal = ColorTransfer.MatchPalette(content, style);
        var hist = ColorTransfer.MatchHistogram(content, style);
        Tensor r;
        if (kind.StartsWith("blend")) { double a = D(kind[5..]); r = pal.mul(1 - a).add(hist.mul(a)); }
        else if (kind == "histluma")
        {
            // content's luma, linearly matched to the style's luma mean/std; chroma of the histogram match
            var yc = ColorTransfer.Luminance(content); var ys = ColorTransfer.Luminance(style);
            var y = yc.sub(yc.mean()).div(yc.std()).mul(ys.std()).add(ys.mean());
            var yh = ColorTransfer.Luminance(hist);
            r = hist.add(y.sub(yh)).clamp(0, 1);
        }
        else throw new ArgumentException(kind);
        return r.MoveToOuterDisposeScope();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
