using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Quality;

/// <summary>
/// Issue #12's measured figures for control over the result, on the offline default (ResNet18, its default preset:
/// histogram colour at 0.7) at 128 px, seeded: styles per region and blends (the quality report has the same at 256 px).
/// </summary>
public sealed class ControlQualityTests(ResNet18OnnxFixture fx, ITestOutputHelper log) : IClassFixture<ResNet18OnnxFixture>
{
    private const int Size = 128;
    private const string Sky = "starry_night", Water = "great_wave";

    /// <summary>
    /// The region map of the Golden Gate photo, drawn by a fixed rule: red above the horizon (47 % of the height), blue
    /// below it, and green for the column of the near tower (15–32 % of the width) over both: sky, water, photo kept.
    /// </summary>
    public static Tensor GoldenGateMap(long height, long width)
    {
        var map = zeros(1, 3, height, width);
        int horizon = (int)Math.Round(0.47 * height), from = (int)Math.Round(0.15 * width), to = (int)Math.Round(0.32 * width);
        map[0, 0, ..horizon, ..] = tensor(1f);
        map[0, 2, horizon.., ..] = tensor(1f);
        map[0, .., .., from..to] = tensor(0f);
        map[0, 1, .., from..to] = tensor(1f);
        return map;
    }

    private static Tensor Load(string name, int size) => ImageTensor.Load(TestPaths.SharedImage(name + ".jpg"), size);

    [Fact]
    public void EachRegionTakesItsOwnPaintingTheKeptOneThePhotoAndTheyMeetWithoutASeam()
    {
        using var photo = Load("golden_gate", Size);
        using var sky = Load(Sky, 4 * Size);     // full resolution (bounded): the driver resizes styles to the style scale
        using var water = Load(Water, 4 * Size);
        using var skyShown = Load(Sky, Size);    // the paintings' palettes, as the quality report measures them
        using var waterShown = Load(Water, Size);
        long h = photo.shape[2], w = photo.shape[3];
        using var drawing = GoldenGateMap(h, w);
        using var soft = RegionMap.FromImage(drawing, h, w);           // what the run gets: soft masks (σ = 2 % of the long side)
        using var hard = RegionMap.FromImage(drawing, h, w, blur: 0);  // what the figures are computed over: each region's own pixels
        using var skyMask = hard.Mask("ff0000");
        using var waterMask = hard.Mask("0000ff");
        using var keepMask = hard.Mask("00ff00");
        var settings = new StyleTransferSettings { Iterations = 60, Seed = 1 };
        using var r = StyleTransfer.Run(fx.Network, photo,
            [new StyleRegion(soft.Mask("ff0000"), [new WeightedStyle(sky, 1)]), new StyleRegion(soft.Mask("0000ff"), [new WeightedStyle(water, 1)])], settings);

        double skyOwn = RegionColor.ColorRatio(r.Image, photo, skyShown, skyMask), skyOther = RegionColor.ColorRatio(r.Image, photo, waterShown, skyMask);
        double waterOwn = RegionColor.ColorRatio(r.Image, photo, waterShown, waterMask), waterOther = RegionColor.ColorRatio(r.Image, photo, skyShown, waterMask);
        double kept = RegionSsim.Luminance(r.Image, photo, keepMask);
        using var labels = RegionLabels.FromMasks([skyMask, waterMask, keepMask]);
        var step = BorderStep.Measure(r.Image, labels);
        log.WriteLine($"{w}×{h}, {r.Iterations} iterations, {r.Evaluations} evaluations, {r.Elapsed.TotalSeconds:F1} s");
        log.WriteLine($"sky ({Sky}): colour ratio {skyOwn:F3}, to {Water} {skyOther:F3}; water ({Water}): {waterOwn:F3}, to {Sky} {waterOther:F3}; photo kept: SSIM {kept:F3}");
        log.WriteLine($"border step {step.Step:F3} (pooled {step.Pooled:F3}, k = {step.HalfWidth}): {string.Join("; ", step.Regions.Select(s => $"label {s.Label} {s.Band:F4} / {s.Own:F4}"))}");
        Assert.True(skyOwn <= 0.35, $"the sky takes {Sky}'s palette: {skyOwn:F3}");
        Assert.True(waterOwn <= 0.35, $"the water takes {Water}'s palette: {waterOwn:F3}");
        Assert.True(skyOther >= skyOwn + 0.3, $"the sky is nearer its own painting than the other: {skyOwn:F3} vs {skyOther:F3}");
        Assert.True(waterOther >= waterOwn + 0.3, $"the water is nearer its own painting than the other: {waterOwn:F3} vs {waterOther:F3}");
        Assert.True(kept >= 0.8, $"the kept region keeps the photo's structure: SSIM {kept:F3}");
        Assert.True(step.Step <= 1.2, $"no seam: border step {step.Step:F3}");

        // The same figure sees the seam of the naive way: each painting over the whole photo, pasted together by the hard map.
        using var allSky = StyleTransfer.Run(fx.Network, photo, sky, settings);
        using var allWater = StyleTransfer.Run(fx.Network, photo, water, settings);
        using var pasted = allSky.Image.mul(skyMask).add(allWater.Image.mul(waterMask)).add(photo.mul(keepMask));
        var seam = BorderStep.Measure(pasted, labels);
        log.WriteLine($"pasted single-style results: border step {seam.Step:F3} (pooled {seam.Pooled:F3})");
        Assert.True(seam.Step > 1.2, $"the pasted results meet at a seam: {seam.Step:F3}");
    }

    [Fact]
    public void ABlendMovesTheColoursFromOnePaintingToTheOtherAsItsWeightMoves()
    {
        using var photo = Load("golden_gate", Size);
        using var a = Load(Sky, 4 * Size);
        using var b = Load(Water, 4 * Size);
        using var aShown = Load(Sky, Size);
        using var bShown = Load(Water, Size);
        var settings = new StyleTransferSettings { Iterations = 40, Seed = 1 };
        var toA = new List<double>();
        var toB = new List<double>();
        foreach (double weight in new[] { 1.0, 0.75, 0.5, 0.25, 0.0 })
        {
            using var r = StyleTransfer.Run(fx.Network, photo, [new WeightedStyle(a, weight), new WeightedStyle(b, 1 - weight)], settings);
            toA.Add(SlicedWasserstein.ColorRatio(r.Image, photo, aShown));
            toB.Add(SlicedWasserstein.ColorRatio(r.Image, photo, bShown));
            log.WriteLine($"{Sky} {weight:F2} / {Water} {1 - weight:F2}: colour ratio to {Sky} {toA[^1]:F3}, to {Water} {toB[^1]:F3}, SSIM {Ssim.Luminance(r.Image, photo):F3}");
        }
        // The colour ratio is a distance (0 = the painting's palette): as A's weight goes from 1 to 0 it rises towards A and falls towards B.
        for (int i = 1; i < toA.Count; i++)
        {
            Assert.True(toA[i] > toA[i - 1], $"colour ratio to {Sky} rises step by step: {string.Join(", ", toA.Select(v => v.ToString("F3")))}");
            Assert.True(toB[i] < toB[i - 1], $"colour ratio to {Water} falls step by step: {string.Join(", ", toB.Select(v => v.ToString("F3")))}");
        }
        Assert.True(toA[0] <= 0.35 && toB[^1] <= 0.35, "each painting alone gives its palette");
    }
}
