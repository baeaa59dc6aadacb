using System.Diagnostics;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Seconds per evaluation, whole image and tiled, VGG19 (random weights) with its default layers: the README's "Poster size" table.</summary>
public class PosterBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact]
    [Trait("Category", "Benchmark")]
    public void SecondsPerEvaluationWholeAndTiled()
    {
        Torch.Ready();
        using var vgg = new Vgg19(seed: 1);
        foreach (var (height, width, tile) in new[] { (384, 512, 256), (768, 1024, 256) })
        {
            using var scope = NewDisposeScope();
            var settings = ResolvedSettings.Resolve(new StyleTransferSettings(), vgg);
            using var objective = settings.CreateObjective(vgg, rand(1, 3, height, width), rand(1, 3, height, width));
            using var x = new Parameter(rand(1, 3, height, width), requires_grad: true);
            var tiled = new TiledObjective(objective, tile);
            double Time(Action evaluate)
            {
                evaluate(); // warm-up
                var clock = Stopwatch.StartNew();
                evaluate();
                return clock.Elapsed.TotalSeconds;
            }
            double whole = Time(() => { using var s = NewDisposeScope(); objective.Evaluate(x).Total.backward(); });
            double inTiles = Time(() => { using var s = NewDisposeScope(); tiled.Evaluate(x); });
            var grid = tiled.GridFor(height, width);
            output.WriteLine($"{width}×{height}: whole {whole:F2} s, tiled ({grid.Tiles.Count} tiles of {tile}, halo {grid.Halo}, " +
                             $"crop overhead {grid.Overhead:F2}×) {inTiles:F2} s, ratio {inTiles / whole:F2}");
            Assert.True(inTiles > 0 && whole > 0);
        }
    }
}
