using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// Coarse-to-fine against single scale, both through the library's driver (<see cref="StyleTransfer"/>.Run): a
/// single-scale run of <c>iterations</c> L-BFGS iterations sets the target (its final loss) and its time; each
/// multi-scale run (<c>Scales</c> = k, factor 2, <c>CoarseIterations</c> at each coarser scale) is stopped as soon as
/// an iteration at the finest scale reaches that loss. Losses are the driver's, at the accepted iterate of each
/// iteration, on the full-size objective; times are the driver's clock (targets and coarse scales included).
/// An experiment rides along (<c>detail</c>): the same coarse scales, but the finest scale starts from the content photo
/// with its low frequencies replaced by the coarse result's (content + up(coarse) − up(down(content))) instead of the
/// upsampled coarse result alone, which has lost the photo's fine detail.
/// </summary>
internal static class MultiScaleRun
{
    public static JsonObject Run(Problem problem, int iterations, IReadOnlyList<int> scales, int coarseIterations)
    {
        var report = Report.Start("multiscale", problem);
        // Warm-up (allocator, oneDNN primitives at this size) so that the single-scale run, which goes first, is not penalised.
        using (StyleTransfer.Run(problem.Network, problem.Content, problem.Style, problem.Settings(2))) { }

        var single = Trace(problem, problem.Settings(iterations), target: null, out _);
        double target = single.Count > 0 ? single[^1].Loss : double.NaN;
        report["iterations"] = iterations;
        report["coarse_iterations"] = coarseIterations;
        report["single"] = Summary(single, finest: 0, target, stoppedAtTarget: false);

        var runs = new JsonArray();
        foreach (int k in scales)
        {
            // The finest scale may run up to 3× the single-scale iterations: the run stops as soon as it reaches the target.
            var settings = problem.Settings(3 * iterations) with { Scales = k, ScaleFactor = 2.0, CoarseIterations = coarseIterations };
            var trace = Trace(problem, settings, target, out bool reached);
            var summary = Summary(trace, finest: k - 1, target, reached);
            summary["scales"] = k;
            runs.Add(summary);

            var detail = DetailTrace(problem, k, coarseIterations, 3 * iterations, target, out bool detailReached);
            var detailSummary = Summary(detail, finest: k - 1, target, detailReached);
            detailSummary["scales"] = k;
            detailSummary["init"] = "detail";
            runs.Add(detailSummary);
        }
        report["multi"] = runs;
        Report.Finish(report);
        return report;
    }

    private sealed record Point(int Scale, int Width, int Height, int Iteration, int Evaluations, double Loss, double Seconds);

    /// <summary>The coarse scales through the driver at half size, then the finest scale from the detail-preserving start.</summary>
    private static List<Point> DetailTrace(Problem problem, int scales, int coarseIterations, int iterations, double target, out bool reached)
    {
        var clock = Stopwatch.StartNew();
        using var content = ScaleStep.Shrink(problem.Content, 2.0); // half size, as the driver shrinks a coarser scale
        using var style = ScaleStep.Shrink(problem.Style, 2.0);
        var points = new List<Point>();
        var coarse = problem.Settings(coarseIterations) with { Scales = scales - 1, ScaleFactor = 2.0, CoarseIterations = coarseIterations };
        using var result = StyleTransfer.Run(problem.Network, content, style, coarse,
            r => points.Add(new Point(r.Scale, r.Width, r.Height, r.Iteration, r.Evaluations, r.Loss.Total, r.Elapsed.TotalSeconds)));
        Tensor start;
        using (no_grad())
        using (NewDisposeScope())
        {
            long h = problem.Content.shape[2], w = problem.Content.shape[3];
            var up = (Tensor t) => nn.functional.interpolate(t, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
            start = problem.Content.add(up(result.Image)).sub(up(content)).clamp(0, 1).MoveToOuterDisposeScope();
        }
        double offset = clock.Elapsed.TotalSeconds;
        using (start)
        {
            var fine = Trace(problem, problem.Settings(iterations), target, out reached, start);
            points.AddRange(fine.Select(f => f with { Scale = scales - 1, Seconds = f.Seconds + offset }));
        }
        return points;
    }

    private static List<Point> Trace(Problem problem, StyleTransferSettings settings, double? target, out bool reached, Tensor? init = null)
    {
        var points = new List<Point>();
        bool hit = false;
        using var cancel = new CancellationTokenSource();
        void OnProgress(StyleTransferProgress r)
        {
            points.Add(new Point(r.Scale, r.Width, r.Height, r.Iteration, r.Evaluations, r.Loss.Total, r.Elapsed.TotalSeconds));
            if (target is double t && r.Scale == settings.Scales - 1 && r.Loss.Total <= t && !hit)
            {
                hit = true;
                cancel.Cancel();
            }
        }
        using (StyleTransfer.Run(problem.Network, problem.Content, problem.Style, settings, OnProgress, cancel.Token, init)) { }
        reached = hit;
        return points;
    }

    private static JsonObject Summary(List<Point> trace, int finest, double target, bool stoppedAtTarget)
    {
        var atFinest = trace.Where(t => t.Scale == finest).ToList();
        var last = trace.Count > 0 ? trace[^1] : null;
        var perScale = new JsonArray();
        foreach (var g in trace.GroupBy(t => t.Scale).OrderBy(g => g.Key))
        {
            var end = g.Last();
            perScale.Add(new JsonObject
            {
                ["scale"] = g.Key, ["width"] = end.Width, ["height"] = end.Height, ["iterations"] = end.Iteration,
                ["evaluations"] = end.Evaluations, ["loss"] = end.Loss, ["seconds"] = end.Seconds,
            });
        }
        return new JsonObject
        {
            ["target_loss"] = target,
            ["reached"] = stoppedAtTarget || (finest == 0 && last is not null),
            ["seconds"] = last?.Seconds,
            ["final_loss"] = atFinest.Count > 0 ? atFinest[^1].Loss : null,
            ["per_scale"] = perScale,
            ["trace"] = new JsonArray([.. trace.Select(t => (JsonNode?)new JsonArray(t.Scale, t.Iteration, t.Evaluations, t.Loss, t.Seconds))]),
        };
    }
}
