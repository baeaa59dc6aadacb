using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// Adam (the library's optimiser and learning rate) from the content image for <c>steps</c> steps, clamping to [0, 1]
/// after each step as the driver does, with the driver's evaluation (<see cref="ObjectiveEvaluator"/>). A step (zero the
/// gradient, evaluate, update, clamp) is timed as a whole.
/// </summary>
internal static class AdamRun
{
    public static JsonObject Run(Problem problem, int steps)
    {
        var report = Report.Start("adam", problem);
        using var objective = problem.Objective();
        using var x = new Parameter(problem.Content.clone().contiguous(), requires_grad: true);
        var losses = new List<double>();
        using var evaluator = new ObjectiveEvaluator(objective, x);
        using var adam = new AdamOptimizer(x, evaluator.Evaluate, problem.Manifest.AdamLearningRate);
        var times = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            adam.Step();
            using (no_grad()) x.clamp_(0, 1);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            losses.Add(adam.Loss);
        }
        report["step_ms"] = Report.Array(times);
        report["losses"] = Report.Array(losses);
        Report.Finish(report);
        return report;
    }
}
