using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>A seeded random VGG19 and two tiny images, shared by the driver tests.</summary>
public sealed class DriverFixture : IDisposable
{
    public DriverFixture()
    {
        Torch.Ready();
        Network = new Vgg19(Pooling.Max, seed: 5);
        var g = new Generator(17);
        Content = rand(new long[] { 1, 3, 24, 32 }, generator: g);
        Style = rand(new long[] { 1, 3, 20, 20 }, generator: g);
    }

    public Vgg19 Network { get; }

    public Tensor Content { get; }

    public Tensor Style { get; }

    /// <summary>Shallow layers (cheap), both terms of comparable size, a little TV.</summary>
    public static StyleTransferSettings Settings(int iterations = 5) => new()
    {
        Iterations = iterations,
        Layers = [new("relu1_1", 1, 0), new("relu2_1", 1, 0), new("relu3_1", 1, 0), new("relu2_2", 0, 1)],
        Normalization = LossNormalization.Paper,
        ContentWeight = 1e-4,
        StyleWeight = 10,
        TvWeight = 1,
        Seed = 42,
    };

    public void Dispose()
    {
        Network.Dispose();
        Content.Dispose();
        Style.Dispose();
    }
}

/// <summary>The style-transfer driver on a seeded random VGG19 and 24×32 images.</summary>
public class StyleTransferDriverTests(DriverFixture fx, ITestOutputHelper output) : IClassFixture<DriverFixture>
{
    private StyleTransferResult Run(StyleTransferSettings s, Action<StyleTransferProgress>? progress = null, CancellationToken ct = default) =>
        StyleTransfer.Run(fx.Network, fx.Content, fx.Style, s, progress, ct);

    private static (double Min, double Max) Range(Tensor t) => (t.min().ToDouble(), t.max().ToDouble());

    [Theory]
    [InlineData(InitKind.Noise)]
    [InlineData(InitKind.Content)]
    public void TwoSeededCpuRunsGiveBitIdenticalImages(InitKind init)
    {
        var s = DriverFixture.Settings(4) with { Init = init };
        using var a = Run(s);
        using var b = Run(s);
        Assert.Equal(new long[] { 1, 3, 24, 32 }, a.Image.shape);
        Assert.Equal(a.Image.data<float>().ToArray(), b.Image.data<float>().ToArray());
        Assert.Equal(a.Evaluations, b.Evaluations);
        Assert.Equal(a.Final.Total, b.Final.Total);
        // The runs did move: the image is not the start point.
        if (init == InitKind.Content) Assert.False(a.Image.allclose(fx.Content));
        using var other = Run(s with { Seed = 43, Init = InitKind.Noise });
        if (init == InitKind.Noise) Assert.NotEqual(a.Image.data<float>().ToArray(), other.Image.data<float>().ToArray());
    }

    [Fact]
    public void LbfgsFromNoiseBringsTheTotalLossDown()
    {
        using var r = Run(DriverFixture.Settings(10) with { Init = InitKind.Noise });
        output.WriteLine($"L-BFGS: {r.Initial.Total:G5} → {r.Final.Total:G5} in {r.Iterations} iterations, {r.Evaluations} evaluations, {r.Elapsed.TotalMilliseconds:F0} ms");
        output.WriteLine($"initial terms: {string.Join(", ", r.Initial.Terms.Select(kv => $"{kv.Key} {kv.Value:G4}"))}");
        Assert.Equal(StopReason.Iterations, r.Reason);
        Assert.Equal(10, r.Iterations);
        Assert.Equal(10, r.History.Count);
        Assert.True(r.Final.Total < 0.5 * r.Initial.Total, $"{r.Initial.Total} → {r.Final.Total}");
        Assert.All(new[] { "content", "style", "tv" }, t => Assert.True(r.Initial[t] > 0, t));
        Assert.Equal(r.Final.Terms.Values.Sum(), r.Final.Total, 6);
        var (min, max) = Range(r.Image);
        Assert.True(min >= 0 && max <= 1, $"[{min}, {max}]");
        // Progress reports are in order and count evaluations as the optimiser does.
        Assert.Equal(Enumerable.Range(1, 10), r.History.Select(h => h.Iteration));
        Assert.Equal(r.Evaluations, r.History[^1].Evaluations);
        Assert.True(r.History.Zip(r.History.Skip(1)).All(p => p.First.Evaluations < p.Second.Evaluations));
    }

    [Fact]
    public void CancellationFromTheProgressCallbackReturnsTheBestImageSoFar()
    {
        using var cts = new CancellationTokenSource();
        var s = DriverFixture.Settings(50) with { Init = InitKind.Noise, Clamp = false };
        var seen = new List<StyleTransferProgress>();
        using var r = Run(s, p =>
        {
            seen.Add(p);
            if (p.Iteration == 3) cts.Cancel();
        }, cts.Token);
        Assert.Equal(StopReason.Cancelled, r.Reason);
        Assert.Equal(3, r.Iterations);
        Assert.Equal(3, seen.Count);
        Assert.Equal(seen[^1].Evaluations, r.Evaluations);
        // The best point seen is at least as good as the last accepted one (Final is recomputed there: float noise).
        Assert.True(r.Final.Total <= seen[^1].Loss.Total * (1 + 1e-5), $"{r.Final.Total} vs {seen[^1].Loss.Total}");
        Assert.True(r.Final.Total < r.Initial.Total);
    }

    [Fact]
    public void CancellationBeforeTheFirstIterationReturnsTheStartImage()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var r = Run(DriverFixture.Settings(), ct: cts.Token);
        Assert.Equal(StopReason.Cancelled, r.Reason);
        Assert.Equal(0, r.Iterations);
        Assert.Equal(0, r.Evaluations);
        Assert.Equal(fx.Content.data<float>().ToArray(), r.Image.data<float>().ToArray());
    }

    [Fact]
    public void NaNLossThrowsNamedErrorWithLastGoodImage()
    {
        var s = DriverFixture.Settings() with { ContentWeight = double.NaN };
        var ex = Assert.Throws<NonFiniteLossException>(() => Run(s));
        using var last = ex.LastGoodImage;
        Assert.IsAssignableFrom<NotebookStyleException>(ex);
        Assert.Contains("NaN", ex.Message);
        Assert.Equal(1, ex.Iteration);
        // Nothing good was seen but the start point: that is what comes back (content init), on the CPU.
        Assert.Equal(DeviceType.CPU, last.device_type);
        Assert.Equal(fx.Content.data<float>().ToArray(), last.data<float>().ToArray());
    }

    [Fact]
    public void MaxEvaluationsIsNeverExceededEvenInsideALineSearch()
    {
        // Where do the iterations end? A budget strictly inside an iteration's line search must stop it there.
        var s = DriverFixture.Settings(4) with { Init = InitKind.Noise };
        using var free = Run(s);
        var ends = new[] { 1 }.Concat(free.History.Select(h => h.Evaluations)).ToList();
        int k = Enumerable.Range(1, ends.Count - 1).First(i => ends[i] - ends[i - 1] >= 2);
        int inside = ends[k - 1] + 1, boundary = ends[k];
        output.WriteLine($"cumulative evaluations per iteration: {string.Join(", ", ends.Skip(1))}; budgets {inside} and {boundary}");

        var seen = new List<int>();
        using var r = Run(s with { MaxEvaluations = inside }, p => seen.Add(p.Evaluations));
        Assert.Equal(StopReason.Evaluations, r.Reason);
        Assert.Equal(inside, r.Evaluations);
        Assert.Equal(k - 1, r.Iterations);
        Assert.All(seen, e => Assert.True(e <= inside));
        // The result is the best point seen, at least as good as the last accepted one.
        double lastAccepted = k >= 2 ? free.History[k - 2].Loss.Total : free.Initial.Total;
        Assert.True(r.Final.Total <= lastAccepted * (1 + 1e-5), $"{r.Final.Total} vs {lastAccepted}");

        using var atBoundary = Run(s with { MaxEvaluations = boundary });
        Assert.Equal(StopReason.Evaluations, atBoundary.Reason);
        Assert.Equal(boundary, atBoundary.Evaluations);
        Assert.Equal(k, atBoundary.Iterations);
        Assert.Equal(free.History[k - 1].Loss.Total, atBoundary.History[^1].Loss.Total);
    }

    [Fact]
    public void AdamSpendsExactlyItsEvaluationBudget()
    {
        var s = DriverFixture.Settings(100) with { Optimizer = OptimizerKind.Adam, MaxEvaluations = 4 };
        using var r = Run(s);
        Assert.Equal(StopReason.Evaluations, r.Reason);
        Assert.Equal(4, r.Evaluations);
        Assert.Equal(4, r.Iterations);
    }

    [Fact]
    public void AdamRunsOneEvaluationPerStepAndClampsEveryStep()
    {
        var s = DriverFixture.Settings(6) with { Optimizer = OptimizerKind.Adam, AdamLearningRate = 0.3 };
        var images = new List<(double Min, double Max)>();
        using var clamped = Run(s with { ImageEvery = 1 }, p => images.Add(Range(p.Image!)));
        using var free = Run(s with { Clamp = false });
        Assert.Equal(6, clamped.Evaluations);
        Assert.Equal(6, clamped.Iterations);
        Assert.Equal(6, images.Count);
        Assert.All(images, r => Assert.True(r.Min >= 0 && r.Max <= 1));
        var (min, max) = Range(clamped.Image);
        Assert.True(min >= 0 && max <= 1, $"[{min}, {max}]");
        // Without clamping Adam leaves [0, 1]; with it, the points evaluated after the first step differ (clamped).
        var (fmin, fmax) = Range(free.Image);
        Assert.True(fmin < 0 || fmax > 1, $"unclamped run stayed in [{fmin}, {fmax}]: the test proves nothing");
        Assert.Equal(clamped.History[0].Loss.Total, free.History[0].Loss.Total);
        Assert.NotEqual(clamped.History[1].Loss.Total, free.History[1].Loss.Total);
        output.WriteLine($"Adam: {clamped.Initial.Total:G5} → {clamped.Final.Total:G5}");
        Assert.True(clamped.Final.Total < clamped.Initial.Total);
    }
}
