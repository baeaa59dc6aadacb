using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// Where one evaluation's time goes: the steps of <see cref="Losses.StyleTransferObjective.Evaluate"/> and the
/// backward pass timed apart, at the content image, <c>repeats</c> times: preprocessing and the forward pass to the
/// deepest tap (<c>forward</c>), every loss term read back as a double (<c>losses</c>), and <c>backward</c>.
/// </summary>
internal static class BreakdownRun
{
    public static JsonObject Run(Problem p, int repeats)
    {
        var report = Report.Start("breakdown", p);
        using var objective = p.Objective();
        var taps = objective.Losses.Where(l => l.Layer is not null).Select(l => l.Layer!).Distinct().ToArray();
        using var x = new Parameter(p.Content.clone().contiguous(), requires_grad: true);
        var forward = new List<double>();
        var losses = new List<double>();
        var backward = new List<double>();
        var total = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            x.grad?.zero_();
            using var scope = NewDisposeScope();
            long t0 = Stopwatch.GetTimestamp();
            var features = objective.Network.ExtractRgb(x, taps);
            long t1 = Stopwatch.GetTimestamp();
            Tensor sum = zeros(1, dtype: x.dtype).squeeze();
            foreach (var loss in objective.Losses)
            {
                var v = loss.Compute(x, features);
                v.ToDouble();
                sum = sum.add(v);
            }
            sum.ToDouble();
            long t2 = Stopwatch.GetTimestamp();
            sum.backward();
            long t3 = Stopwatch.GetTimestamp();
            forward.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            losses.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            backward.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
            total.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
        }
        report["forward_ms"] = Report.Array(forward);
        report["losses_ms"] = Report.Array(losses);
        report["backward_ms"] = Report.Array(backward);
        report["total_ms"] = Report.Array(total);
        Report.Finish(report);
        return report;
    }
}
