using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// L-BFGS (strong Wolfe, the library's defaults) from the content image for exactly <c>evals</c> loss-and-gradient
/// evaluations. Each evaluation is the driver's own (<see cref="ObjectiveEvaluator"/>: forward to the deepest tap, every
/// loss term, backward, best-point bookkeeping; its budget stops the run) and is timed alone (wall and process CPU time);
/// the optimiser's own vector work is not in the time. On a GPU each evaluation ends when the device has finished it.
/// </summary>
internal static class LbfgsRun
{
    public static JsonObject Run(Problem problem, int evals)
    {
        var report = Report.Start("lbfgs", problem);
        long setup = Stopwatch.GetTimestamp();
        using var objective = problem.Objective();
        report["setup_ms"] = Stopwatch.GetElapsedTime(setup).TotalMilliseconds;
        using var x = new Parameter(problem.Content.clone().contiguous(), requires_grad: true);
        using var evaluator = new ObjectiveEvaluator(objective, x, maxEvaluations: evals);
        var times = new List<double>();
        var cpu = new List<double>();
        var losses = new List<double>();
        using var self = System.Diagnostics.Process.GetCurrentProcess();

        double? Timed()
        {
            self.Refresh();
            var cpuStart = self.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            if (evaluator.Evaluate() is not double loss) return null; // the budget is spent
            Report.SampleGpu(problem); // on a GPU: waits for the backward pass, then reads the memory in use
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - cpuStart).TotalMilliseconds);
            losses.Add(loss);
            return loss;
        }

        using var lbfgs = new Lbfgs(x, Timed, new LbfgsOptions());
        while (lbfgs.Step() == StepOutcome.Stepped) { }
        if (lbfgs.ConvergedBecause is { } why) report["converged"] = why;
        report["eval_ms"] = Report.Array(times);
        report["eval_cpu_ms"] = Report.Array(cpu);
        report["losses"] = Report.Array(losses);
        report["iterations"] = lbfgs.LineSearches.Count;
        Report.Finish(report);
        return report;
    }
}
