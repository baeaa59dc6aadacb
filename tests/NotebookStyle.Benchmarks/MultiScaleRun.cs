using System.Text.Json.Nodes;
using NotebookStyle.Optimization;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// Coarse-to-fine against single scale, both through the library's driver (<see cref="StyleTransfer.Run"/>): a
/// single-scale run of <c>iterations</c> L-BFGS iterations sets the target (its final loss) and its time; each
/// multi-scale run (<c>Scales</c> = k, factor 2, <c>CoarseIterations</c> at each coarser scale) is stopped as soon as
/// an iteration at the finest scale reaches that loss. Losses are the driver's, at the accepted iterate of each
/// iteration, on the full-size objective; times are the driver's clock (targets and coarse scales included).
/// </summary>
internal static class MultiScaleRun
{
    public static JsonObject Run(Problem p, int iterations, IReadOnlyList<int> scales, int coarseIterations)
    {
        var report = Report.Start("multiscale", p);
        // Warm-up (allocator, oneDNN primitives at this size) so that the single-scale run, which goes first, is not penalised.
        using (StyleTransfer.Run(p.Network, p.Content, p.Style, p.Settings(2))) { }

        var single = Trace(p, p.Settings(iterations), target: null, out _);
        double target = single.Count > 0 ? single[^1].Loss : double.NaN;
        report["iterations"] = iterations;
        report["coarse_iterations"] = coarseIterations;
        report["single"] = Summary(single, finest: 0, target, stoppedAtTarget: false);

        var runs = new JsonArray();
        foreach (int k in scales)
        {
            // The finest scale may run up to 3× the single-scale iterations: the run stops as soon as it reaches the target.
            var settings = p.Settings(3 * iterations) with { Scales = k, ScaleFactor = 2.0, CoarseIterations = coarseIterations };
            var trace = Trace(p, settings, target, out bool reached);
            var s = Summary(trace, finest: k - 1, target, reached);
            s["scales"] = k;
            runs.Add(s);
        }
        report["multi"] = runs;
        Report.Finish(report);
        return report;
    }

    private sealed record Point(int Scale, int Width, int Height, int Iteration, int Evaluations, double Loss, double Seconds);

    private static List<Point> Trace(Problem p, StyleTransferSettings settings, double? target, out bool reached)
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
        using (StyleTransfer.Run(p.Network, p.Content, p.Style, settings, OnProgress, cancel.Token)) { }
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
