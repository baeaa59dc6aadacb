using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// L-BFGS (strong Wolfe, the library's defaults) from the content image for exactly <c>evals</c> loss-and-gradient
/// evaluations. Each evaluation is the driver's closure (forward to the deepest tap, every loss term, backward) and is
/// timed alone (wall and process CPU time); the optimiser's own vector work is not in the time.
/// </summary>
internal static class LbfgsRun
{
    public static JsonObject Run(Problem p, int evals)
    {
        var report = Report.Start("lbfgs", p);
        long setup = Stopwatch.GetTimestamp();
        using var objective = p.Objective();
        report["setup_ms"] = Stopwatch.GetElapsedTime(setup).TotalMilliseconds;
        using var x = new Parameter(p.Content.clone().contiguous(), requires_grad: true);
        var times = new List<double>();
        var cpu = new List<double>();
        var losses = new List<double>();
        using var self = System.Diagnostics.Process.GetCurrentProcess();

        double Evaluate()
        {
            if (losses.Count >= evals) throw new BudgetSpent();
            self.Refresh();
            var c0 = self.TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            using var scope = NewDisposeScope();
            var (total, _) = objective.Evaluate(x);
            double f = total.ToDouble();
            total.backward();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - c0).TotalMilliseconds);
            losses.Add(f);
            return f;
        }

        using var lbfgs = new Lbfgs(x, Evaluate, new LbfgsOptions());
        try
        {
            while (lbfgs.Step()) { }
            report["converged"] = lbfgs.ConvergedBecause;
        }
        catch (BudgetSpent) { }
        report["eval_ms"] = Report.Array(times);
        report["eval_cpu_ms"] = Report.Array(cpu);
        report["losses"] = Report.Array(losses);
        report["iterations"] = lbfgs.LineSearches.Count;
        Report.Finish(report);
        return report;
    }
}
