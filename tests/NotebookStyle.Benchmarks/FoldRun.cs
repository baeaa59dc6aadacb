using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// The ResNet's batch norms folded into their convolutions (<see cref="ResNet.FoldBatchNorm"/>) against layer by layer,
/// in one process, alternated evaluation by evaluation (A B A B …, so that the machine's load moves both alike): one
/// evaluation is the objective's loss and its gradient at the content image, as the driver's. Checks first that both
/// give the same loss and gradient (to float rounding).
/// </summary>
internal static class FoldRun
{
    /// <summary>The objective's gradient at the content image in float64, layer by layer (a copy of the network; the problem's stays float32).</summary>
    private static Tensor Reference64(Problem p, ResNet resnet)
    {
        using var net = new ResNet(resnet.Depths);
        using (no_grad())
        {
            var source = resnet.state_dict();
            foreach (var (name, t) in net.state_dict()) t.copy_(source[name]);
        }
        net.to(ScalarType.Float64);
        net.FoldBatchNorm = false;
        using var content = p.Content.to_type(ScalarType.Float64);
        using var style = p.Style.to_type(ScalarType.Float64);
        using var objective = ResolvedSettings.Resolve(p.Settings(1), net).CreateObjective(net, content, style);
        using var x = content.clone().requires_grad_(true);
        using (NewDisposeScope())
        {
            var (total, _) = objective.Evaluate(x);
            total.backward();
        }
        return x.grad!.clone();
    }

    public static JsonObject Run(Problem p, int repeats)
    {
        if (p.Network is not ResNet resnet) throw new ArgumentException("fold compares the ResNet's folded batch norms: give a resnet18 problem.");
        var report = Report.Start("fold", p);
        using var objective = p.Objective();
        using var x = new Parameter(p.Content.clone().contiguous(), requires_grad: true);

        (double Loss, Tensor Gradient, double Ms) Once(bool folded)
        {
            resnet.FoldBatchNorm = folded;
            x.grad?.zero_();
            long start = Stopwatch.GetTimestamp();
            double loss;
            using (NewDisposeScope())
            {
                var (total, _) = objective.Evaluate(x);
                loss = total.ToDouble();
                total.backward();
            }
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return (loss, x.grad!.clone(), ms);
        }

        // The same function: loss and gradient agree to float rounding.
        var a = Once(true);
        var b = Once(false);
        // A float64 reference (layer by layer), to tell how far each float32 gradient is from the exact one.
        var reference = Reference64(p, resnet);
        var again = Once(false); // layer by layer twice: how far the runtime's own repeat moves the gradient
        double lossDiff = Math.Abs(a.Loss - b.Loss) / Math.Abs(b.Loss);
        double gradDiff, gradL2, repeatL2, outliers;
        using (no_grad())
        using (NewDisposeScope())
        {
            var d = a.Gradient.sub(b.Gradient);
            double max = b.Gradient.abs().max().ToDouble();
            gradDiff = d.abs().max().ToDouble() / max;
            gradL2 = d.norm().ToDouble() / b.Gradient.norm().ToDouble();
            repeatL2 = again.Gradient.sub(b.Gradient).norm().ToDouble() / b.Gradient.norm().ToDouble();
            // Pixels whose gradient moved by more than 1e-4 of the largest (a max-pool tie or a ReLU at 0 decided the other way).
            outliers = d.abs().gt(1e-4 * max).sum().ToDouble();
            double refNorm = reference.norm().ToDouble();
            report["grad_folded_vs_float64_l2"] = a.Gradient.to_type(ScalarType.Float64).sub(reference).norm().ToDouble() / refNorm;
            report["grad_layer_by_layer_vs_float64_l2"] = b.Gradient.to_type(ScalarType.Float64).sub(reference).norm().ToDouble() / refNorm;
        }
        reference.Dispose();
        a.Gradient.Dispose();
        b.Gradient.Dispose();
        again.Gradient.Dispose();

        var times = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        for (int i = 0; i < 2 * repeats; i++)
        {
            bool folded = i % 4 is 0 or 3; // A B B A: neither always goes first
            var r = Once(folded);
            r.Gradient.Dispose();
            times[folded].Add(r.Ms);
        }
        resnet.FoldBatchNorm = true;
        Console.WriteLine($"gradient against a float64 reference (relative L2): folded {report["grad_folded_vs_float64_l2"]}, layer by layer {report["grad_layer_by_layer_vs_float64_l2"]}");
        double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        report["loss_rel_diff"] = lossDiff;
        report["grad_rel_diff"] = gradDiff;
        report["grad_rel_l2_diff"] = gradL2;
        report["grad_repeat_rel_l2_diff"] = repeatL2;
        report["grad_outlier_pixels"] = outliers;
        report["grad_pixels"] = p.Content.numel();
        report["folded_ms"] = Report.Array(times[true]);
        report["layer_by_layer_ms"] = Report.Array(times[false]);
        report["folded_median_ms"] = Median(times[true]);
        report["layer_by_layer_median_ms"] = Median(times[false]);
        report["ratio"] = Median(times[true]) / Median(times[false]);
        Console.WriteLine($"{p.Manifest.Network} {p.Content.shape[3]}×{p.Content.shape[2]}: folded {Median(times[true]):F1} ms, layer by layer " +
                          $"{Median(times[false]):F1} ms (medians of {repeats} each, alternated), ratio {Median(times[true]) / Median(times[false]):F3}; " +
                          $"loss rel. diff {lossDiff:E1}, gradient: largest {gradDiff:E1} of the largest, L2 {gradL2:E1} " +
                          $"(layer by layer repeated: {repeatL2:E1}), {outliers} of {p.Content.numel()} values off by > 1e-4 of the largest");
        Report.Finish(report);
        return report;
    }
}
