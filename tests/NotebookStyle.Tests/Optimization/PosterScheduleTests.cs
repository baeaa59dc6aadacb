using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Poster sizes: the automatic coarse-to-fine schedule and the memory plan that tiles what would not fit.</summary>
public class PosterScheduleTests(DriverFixture fx) : IClassFixture<DriverFixture>
{
    [Fact]
    public void FourThousandPixelsGoFrom512UpWithFewerIterationsAndAShorterHistory()
    {
        var plan = PosterSchedule.Plan(4096, 200, 40, 100);
        Assert.Equal([8.0, 4.0, 2.0, 1.0], plan.Select(s => s.Factor));
        Assert.Equal([200, 60, 30, 15], plan.Select(s => s.Iterations));
        Assert.Equal([100, 50, 25, 12], plan.Select(s => s.HistorySize ?? 0));
        Assert.Equal([null, null, null, 40], plan.Select(s => s.MaxEvaluations));
        Assert.Equal(3, PosterSchedule.Plan(2048, 200, null, 100).Count);
        Assert.Equal(2, PosterSchedule.Plan(1100, 200, null, 100).Count);
        Assert.Equal(10, PosterSchedule.Plan(4096, 20, null, 100)[^1].Iterations); // never fewer than 10 (or the coarsest's)
        Assert.Single(PosterSchedule.Plan(1024, 200, null, 100));
    }

    [Fact]
    public void ScalesLeftNullFollowTheScheduleAboveItsThresholdOnly()
    {
        var auto = new StyleTransferSettings { Iterations = 100 };
        Assert.Equal(4, ResolvedSettings.Resolve(auto, fx.Network, 4096).Scales.Count);
        Assert.Single(ResolvedSettings.Resolve(auto, fx.Network, 1024).Scales);
        Assert.Single(ResolvedSettings.Resolve(auto, fx.Network).Scales);
        Assert.Single(ResolvedSettings.Resolve(auto with { Scales = 1 }, fx.Network, 4096).Scales);
    }

    [Fact]
    public void TheMemoryPlanTilesOnlyWhatDoesNotFitAndBoundsTheHistory()
    {
        string[] taps = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1", "conv5_2"];
        const long gb = 1_000_000_000;
        // 512 × 384 with 24 GB: whole image, the full history.
        Assert.Equal(new MemoryPlan(null, 100, 24 * gb), MemoryPlan.For(null, fx.Network, taps, 384, 512, 100, deviceBudget: 24 * gb));
        // 4096 × 3072 within 6 GB: tiles on the network's stride, a history of at most a quarter of the budget.
        var poster = MemoryPlan.For(new TilingSettings(MemoryBudgetBytes: 6 * gb), fx.Network, taps, 3072, 4096, 100);
        Assert.NotNull(poster.TileSize);
        Assert.Equal(0, poster.TileSize!.Value % 16);
        // A pair costs 302 MB at 12.6 MP: a quarter of 6 GB holds 4, and L-BFGS keeps at least 5.
        Assert.Equal(5, poster.HistorySize);
        // Within 4 GB the image-sized vectors of an optimised 12.6 MP run leave no room for any tile: a named error that
        // says what would do, rather than tiles of a few pixels.
        var tooSmall = Assert.Throws<NotebookStyleException>(() => MemoryPlan.For(new TilingSettings(MemoryBudgetBytes: 4 * gb), fx.Network, taps, 3072, 4096, 100));
        Assert.Contains("--memory-budget", tooSmall.Message);
        // One evaluation without an optimiser (the poster benchmark's) fits 4 GB in tiles.
        Assert.NotNull(MemoryPlan.For(new TilingSettings(MemoryBudgetBytes: 4 * gb), fx.Network, taps, 3072, 4096, 0).TileSize);
        Assert.Equal(26, MemoryPlan.For(new TilingSettings(MemoryBudgetBytes: 32 * gb), fx.Network, taps, 3072, 4096, 100).HistorySize);
        var (stride, radius) = fx.Network.TilingGeometry(taps);
        long crop = TileGrid.Plan(3072, 4096, poster.TileSize.Value, stride, radius).LargestCropPixels;
        double planned = crop * MemoryPlan.EvaluationBytesPerPixel(fx.Network) + 4096 * 3072 *
            (MemoryPlan.ResidentBytesPerPixel + MemoryPlan.OptimizerBytesPerPixel + poster.HistorySize * MemoryPlan.HistoryBytesPerPixel);
        Assert.True(planned <= 6 * gb, $"planned {planned / gb:F2} GB");
        // A given tile size wins; the whole-image setting never tiles nor shortens the history.
        Assert.Equal(256, MemoryPlan.For(new TilingSettings(TileSize: 256), fx.Network, taps, 3072, 4096, 100).TileSize);
        var whole = MemoryPlan.For(TilingSettings.WholeImage, fx.Network, taps, 3072, 4096, 100);
        Assert.Null(whole.TileSize);
        Assert.Equal(100, whole.HistorySize);
    }

    [Fact]
    public void TapsPastTheGlobalPoolKeepTheWholeImage()
    {
        using var resnet = new ResNet(seed: 1);
        var plan = MemoryPlan.For(new TilingSettings(MemoryBudgetBytes: 1_000_000_000), resnet, ["layer1", "avgpool"], 3072, 4096, 100);
        Assert.Null(plan.TileSize);
    }

    [Fact]
    public void ABudgetThatCannotHoldTheImageStopsBeforeAnyWork()
    {
        var reports = new List<StyleTransferProgress>();
        var settings = DriverFixture.Settings(3) with { Tiling = new TilingSettings(MemoryBudgetBytes: 100_000) };
        var error = Assert.Throws<NotebookStyleException>(() => StyleTransfer.Run(fx.Network, fx.Content, fx.Style, settings, reports.Add));
        Assert.Contains("memory budget", error.Message);
        Assert.Empty(reports);
    }

    [Fact]
    public void ATightBudgetTilesTheRunAndTheProgressSaysSo()
    {
        var reports = new List<StyleTransferProgress>();
        var settings = DriverFixture.Settings(3) with { Tiling = new TilingSettings(MemoryBudgetBytes: 2_000_000) };
        using var r = StyleTransfer.Run(fx.Network, fx.Content, fx.Style, settings, reports.Add);
        Assert.All(reports, p => Assert.True(p.Tiles > 1, $"{p.Tiles} tiles"));
        Assert.NotNull(reports[0].TileSize);
        Assert.True(r.Final.Total < r.Initial.Total);
    }

    [Theory]
    [InlineData(StyleLossKind.Gram)]
    [InlineData(StyleLossKind.Wasserstein)]
    public void AGivenTileSizeTilesARunWithTwoRegions(StyleLossKind kind)
    {
        // Two regions, left and right half (the driver refused to tile regions and Wasserstein before every term read sums over positions).
        using var left = zeros(1, 1, 8, 8);
        left[.., .., .., ..4] = tensor(1f);
        using var right = ones(1, 1, 8, 8).sub(left);
        using var flipped = fx.Style.flip(3);
        var reports = new List<StyleTransferProgress>();
        var settings = DriverFixture.Settings(2) with { Tiling = new TilingSettings(TileSize: 16), StyleLoss = kind };
        using var r = StyleTransfer.Run(fx.Network, fx.Content,
            [new StyleRegion(left, [new WeightedStyle(fx.Style, 1)]), new StyleRegion(right, [new WeightedStyle(flipped, 1)])], settings, reports.Add);
        Assert.All(reports, p => Assert.True(p.Tiles > 1, $"{p.Tiles} tiles"));
        Assert.True(r.Final.Total < r.Initial.Total);
    }
}
