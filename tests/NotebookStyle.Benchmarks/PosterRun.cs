using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// Poster sizes (tests/benchmarks/poster.sh): one loss-and-gradient evaluation of the problem's objective, on the whole
/// image or in tiles (a given core side, or the largest that fits <c>--budget</c> GB by the driver's own
/// <see cref="MemoryPlan"/>, planned for an evaluation without an optimiser), <c>evals</c> times. Reports the time of
/// each evaluation and, tiled, of its two passes (pass 1: every crop forward without a graph, the global Gram
/// matrices; pass 2: every crop forward with a graph and backward), the time to compute the targets (tiled too),
/// the grid, and the process's peak resident memory.
/// </summary>
internal static class PosterRun
{
    public static JsonObject Run(Problem p, int evals, int tile, double budgetGb)
    {
        var report = Report.Start("poster", p);
        var settings = ResolvedSettings.Resolve(p.Settings(1), p.Network);
        long height = p.Content.shape[2], width = p.Content.shape[3];
        int? tileSize = tile > 0 ? tile
            : budgetGb > 0 ? MemoryPlan.For(new TilingSettings(MemoryBudgetBytes: (long)(budgetGb * 1e9)), p.Network, settings.Taps, height, width, historySize: 0).TileSize
            : null;
        var clock = Stopwatch.StartNew();
        using var objective = settings.CreateObjective(p.Network, p.Content, [new StyleRegion(null, [new WeightedStyle(p.Style, 1)])], tileSize);
        report["targets_ms"] = clock.Elapsed.TotalMilliseconds;
        long secondPassStart = 0;
        var tiled = tileSize is int t
            ? new TiledObjective(objective, t) { OnTile = (i, _, pass) => { if (pass == 2 && i == 1) secondPassStart = Stopwatch.GetTimestamp(); } }
            : null;
        var grid = tiled?.GridFor(height, width);
        report["tiled"] = tiled is not null;
        report["budget_gb"] = budgetGb;
        report["tile_size"] = grid?.TileSize;
        report["tiles"] = grid?.Tiles.Count ?? 1;
        report["halo"] = grid?.Halo;
        report["crop_overhead"] = grid?.Overhead ?? 1.0;
        using var x = new Parameter(p.Content.clone().contiguous(), requires_grad: true);
        List<double> total = [], first = [], second = [];
        double loss = double.NaN;
        for (int i = 0; i < evals; i++)
        {
            x.grad?.zero_();
            long t0 = Stopwatch.GetTimestamp();
            if (tiled is not null) loss = tiled.Evaluate(x).Loss;
            else
            {
                using var scope = NewDisposeScope();
                var (value, terms) = objective.Evaluate(x);
                value.backward();
                loss = terms.Total;
            }
            long t1 = Stopwatch.GetTimestamp();
            total.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            if (tiled is null) continue;
            first.Add(Stopwatch.GetElapsedTime(t0, secondPassStart).TotalMilliseconds);
            second.Add(Stopwatch.GetElapsedTime(secondPassStart, t1).TotalMilliseconds);
        }
        report["loss"] = loss;
        report["gradient_norm"] = x.grad!.norm().ToDouble();
        report["total_ms"] = Report.Array(total);
        report["pass1_ms"] = Report.Array(first);
        report["pass2_ms"] = Report.Array(second);
        Report.Finish(report);
        return report;
    }
}
