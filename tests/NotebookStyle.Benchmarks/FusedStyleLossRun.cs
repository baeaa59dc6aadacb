using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// A/B in one process: an evaluation with the library's losses against one whose style terms are
/// <see cref="FusedStyleLoss"/>, alternated <c>repeats</c> times at the content image (wall and process CPU time);
/// checks that both give the same loss and gradient.
/// </summary>
internal static class FusedStyleLossRun
{
    public static JsonObject Run(Problem p, int repeats)
    {
        var report = Report.Start("fused-style", p);
        using var objective = p.Objective();
        var taps = objective.Losses.Where(l => l.Layer is not null).Select(l => l.Layer!).Distinct().ToArray();
        using var x = new Parameter(p.Content.clone().contiguous(), requires_grad: true);
        using var self = Process.GetCurrentProcess();
        var wall = new Dictionary<string, List<double>> { ["library"] = [], ["fused"] = [] };
        var cpu = new Dictionary<string, List<double>> { ["library"] = [], ["fused"] = [] };
        var value = new Dictionary<string, double>();
        var grad = new Dictionary<string, Tensor>();

        for (int i = 0; i < repeats; i++)
        {
            foreach (var variant in i % 2 == 0 ? new[] { "library", "fused" } : ["fused", "library"])
            {
                x.grad?.zero_();
                self.Refresh();
                var c0 = self.TotalProcessorTime;
                long t0 = Stopwatch.GetTimestamp();
                using (var scope = NewDisposeScope())
                {
                    var features = objective.Network.ExtractRgb(x, taps);
                    Tensor total = zeros(1, dtype: x.dtype).squeeze();
                    foreach (var loss in objective.Losses)
                        total = total.add(variant == "fused" && loss is StyleLoss s ? Fused(s, features) : loss.Compute(x, features));
                    value[variant] = total.ToDouble();
                    total.backward();
                }
                wall[variant].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                self.Refresh();
                cpu[variant].Add((self.TotalProcessorTime - c0).TotalMilliseconds);
                if (i == 0) grad[variant] = x.grad!.clone();
            }
        }
        using (no_grad())
        {
            report["loss_rel_diff"] = Math.Abs(value["fused"] - value["library"]) / Math.Abs(value["library"]);
            report["grad_rel_diff"] = grad["fused"].sub(grad["library"]).abs().max().ToDouble() / grad["library"].abs().max().ToDouble();
        }
        foreach (var g in grad.Values) g.Dispose();
        foreach (var v in wall.Keys)
        {
            report[$"{v}_ms"] = Report.Array(wall[v]);
            report[$"{v}_cpu_ms"] = Report.Array(cpu[v]);
        }
        Report.Finish(report);
        return report;
    }

    private static Tensor Fused(StyleLoss loss, IReadOnlyDictionary<string, Tensor> features)
    {
        var f = features[loss.Layer];
        double m = f.shape[2] * f.shape[3];
        // The library's term is C·‖G/M − Ā‖² (Ā per position): in the sum form, (C/M²)·‖G − Ā·M‖².
        using var target = loss.Target.mul(m);
        return FusedStyleLoss.apply(f, target, loss.Weight * loss.Scale / (m * m));
    }
}
