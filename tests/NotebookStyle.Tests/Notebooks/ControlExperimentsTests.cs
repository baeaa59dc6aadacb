using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Tests.Optimization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks;

/// <summary>Lesson 06's experiment sets on a seeded random VGG19 and tiny images: blends, regions, scales, style losses.</summary>
public class ControlExperimentsTests(DriverFixture fx, ITestOutputHelper output) : IClassFixture<DriverFixture>
{
    /// <summary>Noise around one colour.</summary>
    private static Tensor Around(float r, float g, float b, ulong seed) =>
        tensor(new[] { r, g, b }).view(1, 3, 1, 1).add(rand(new long[] { 1, 3, 20, 20 }, generator: new Generator(seed)).mul(0.2f).sub(0.1f)).clamp(0, 1);

    private static readonly Painting Red = new("red", Around(0.9f, 0.2f, 0.1f, 1));
    private static readonly Painting Blue = new("blue", Around(0.1f, 0.2f, 0.9f, 2));

    private static StyleTransferSettings Settings(int iterations) =>
        DriverFixture.Settings(iterations) with { Layers = [new("relu1_1", 1, 0), new("relu2_1", 1, 0), new("relu2_2", 0, 1)], ContentWeight = 1e-3 };

    private static Tensor Grey() =>
        full(new long[] { 1, 3, 32, 48 }, 0.5f).add(rand(new long[] { 1, 3, 32, 48 }, generator: new Generator(4)).mul(0.1f));

    [Fact]
    public void BlendsRunEveryWeightAndTheEndsAreTheSinglePaintingRuns()
    {
        using var content = Grey();
        var set = ControlExperiments.Blends(Red, Blue, Settings(8));
        Assert.Equal(["1 : 0", "0.75 : 0.25", "0.5 : 0.5", "0.25 : 0.75", "0 : 1"], set.Experiments.Select(e => e.Label));
        var lines = new List<string>();
        using var run = Experiments.Run(set, fx.Network, content, lines.Add);
        foreach (var l in lines) output.WriteLine(l);
        Assert.Equal(5, run.Results.Count);
        Assert.Contains(lines, l => l.Contains("colour ratio: to red") && l.Contains("to blue"));
        double ToRed(int i) => run.Results[i].Figure(ControlExperiments.ColourRatio, "to red");
        double ToBlue(int i) => run.Results[i].Figure(ControlExperiments.ColourRatio, "to blue");
        Assert.True(ToRed(0) < ToRed(4), $"all red is nearer red than all blue: {ToRed(0):F3} vs {ToRed(4):F3}");
        Assert.True(ToBlue(4) < ToBlue(0), $"all blue is nearer blue than all red: {ToBlue(4):F3} vs {ToBlue(0):F3}");
        // A weight of 0 costs nothing: the 1 : 0 blend is the run with the red painting alone.
        using var alone = StyleTransfer.Run(fx.Network, content, Red.Image, Settings(8));
        Assert.True(alone.Image.allclose(run.Results[0].Image, 0, 0), "1 : 0 is exactly the single-painting run");
        Assert.Throws<NotebookStyleException>(() => ControlExperiments.Blends(Red, Blue, Settings(1), 1.5));
    }

    [Fact]
    public void RegionsTakeTheirPaintingsThenSwappedAndTheUnpaintedRegionKeepsThePhoto()
    {
        using var content = Grey();
        // Red band left (columns 0–15 of 48), the photo in the middle, blue right: drawn at half size.
        using var drawing = zeros(1, 3, 16, 24);
        drawing[0, 0, .., ..8] = tensor(1f);
        drawing[0, 1, .., 8..16] = tensor(1f);
        drawing[0, 2, .., 16..] = tensor(1f);
        using var map = RegionMap.FromImage(drawing, 32, 48, 0.02, new Dictionary<string, string> { ["ff0000"] = "left", ["00ff00"] = "middle", ["0000ff"] = "right" });
        var regions = new[] { new PaintedRegion("left", map.Mask("left"), Red), new PaintedRegion("middle", map.Mask("middle"), null), new PaintedRegion("right", map.Mask("right"), Blue) };
        var set = ControlExperiments.Regions(regions, Settings(15));
        Assert.Equal("Regions: left, middle, right", set.Title);
        Assert.Equal(["red, photo, blue", "blue, photo, red"], set.Experiments.Select(e => e.Label));
        var lines = new List<string>();
        using var run = Experiments.Run(set, fx.Network, content, lines.Add);
        foreach (var l in lines) output.WriteLine(l);
        var drawn = run.Results[0];
        var swapped = run.Results[1];
        Assert.True(drawn.Figure("left (red)", "to red") < drawn.Figure("left (red)", "to blue"), "as drawn, the left region is nearer red");
        Assert.True(drawn.Figure("right (blue)", "to blue") < drawn.Figure("right (blue)", "to red"), "as drawn, the right region is nearer blue");
        Assert.True(swapped.Figure("left (blue)", "to blue") < swapped.Figure("left (blue)", "to red"), "swapped, the left region is nearer blue");
        double photoSsim = drawn.Figure("middle (photo)", "SSIM"), paintedSsim = drawn.Figure("left (red)", "SSIM");
        Assert.True(photoSsim > paintedSsim, $"the unpainted region keeps more of the photo: SSIM {photoSsim:F3} vs {paintedSsim:F3}");
        Assert.Contains(lines, l => l.TrimStart().StartsWith("middle (photo): to red", StringComparison.Ordinal) && l.Contains("SSIM"));
        Assert.Throws<NotebookStyleException>(() => ControlExperiments.Regions([new PaintedRegion("all", map.Mask("left"), null)], Settings(1)));
    }

    [Fact]
    public void StyleLayersSplitByDepthIntoFineAndCoarse()
    {
        var (fine, coarse) = ControlExperiments.StyleLayerGroups(fx.Network, new StyleTransferSettings());
        Assert.Equal(["block1_conv1", "block2_conv1"], fine);
        Assert.Equal(["block3_conv1", "block4_conv1", "block5_conv1"], coarse);
        // Layers given out of order are ordered by depth; a content-only layer is no style layer.
        var given = new StyleTransferSettings { Layers = [new("relu3_1", 1, 0), new("relu1_1", 1, 0), new("relu2_2", 0, 1), new("relu2_1", 2, 0)] };
        var (f, c) = ControlExperiments.StyleLayerGroups(fx.Network, given);
        Assert.Equal(["relu1_1"], f);
        Assert.Equal(["relu2_1", "relu3_1"], c);
        Assert.Throws<NotebookStyleException>(() => ControlExperiments.StyleLayerGroups(fx.Network, new StyleTransferSettings { Layers = [new("relu1_1", 1, 0), new("relu2_2", 0, 1)] }));
    }

    [Fact]
    public void ScalesAndStyleLossesRunTheirVariants()
    {
        var scales = ControlExperiments.Scales(fx.Network, Red, Blue, DriverFixture.Settings(3));
        Assert.Equal(["fine red, coarse blue", "fine blue, coarse red"], scales.Experiments.Select(e => e.Label));
        Assert.Equal(["relu1_1"], scales.Experiments[0].Regions![0].Layers);
        Assert.Equal(["relu2_1", "relu3_1"], scales.Experiments[0].Regions![1].Layers);
        Assert.Same(Blue.Image, scales.Experiments[0].Regions![1].Styles[0].Image);
        var losses = ControlExperiments.StyleLosses(Red, DriverFixture.Settings(3));
        Assert.Equal([StyleLossKind.Gram, StyleLossKind.Wasserstein], losses.Experiments.Select(e => e.Settings.StyleLoss));
        using var scaleRun = Experiments.Run(scales, fx.Network, fx.Content, output.WriteLine);
        using var lossRun = Experiments.Run(losses, fx.Network, fx.Content, output.WriteLine);
        Assert.All(scaleRun.Results.Concat(lossRun.Results), r => Assert.True(r.Final.Total < double.PositiveInfinity && r.Figures.Count > 0));
        Assert.False(lossRun.Results[0].Image.allclose(lossRun.Results[1].Image), "the two losses lead to different images");
    }

    [Fact]
    public void AVariantWithoutStylesNeedsTheSetsStyle()
    {
        var set = new ExperimentSet("plain", [new Experiment("plain", DriverFixture.Settings(1))], []);
        Assert.Throws<NotebookStyleException>(() => Experiments.Run(set, fx.Network, fx.Content, _ => { }));
    }

    [Fact]
    public void TheMapSheetShowsPhotoMapAndOverlay()
    {
        using var drawing = zeros(1, 3, 16, 24);
        drawing[0, 0, .., ..12] = tensor(1f);
        using var map = RegionMap.FromImage(drawing, 32, 48, 0.02, new Dictionary<string, string> { ["ff0000"] = "left" });
        using var picture = map.Picture();
        Assert.Equal(new long[] { 1, 3, 32, 48 }, picture.shape);
        Assert.Equal(1.0, picture[0, 0, 16, 2].ToDouble(), 1e-5);      // red, deep in the left region
        Assert.Equal(0.0, picture[0, 0, 16, 45].ToDouble(), 1e-5);     // black on the right
        Assert.InRange(picture[0, 0, 16, 24].ToDouble(), 0.2, 0.8);    // a soft border
        using var sheet = ControlExperiments.MapSheet(fx.Content, map, height: 64);
        Assert.True(sheet.Width > 3 * 64 * 48 / 32, $"three panels side by side: {sheet.Width} px wide");
        Assert.Equal("ff0000 (left)", map.Describe("FF0000"));
        Assert.Equal("000000", map.Describe("000000"));
    }
}
