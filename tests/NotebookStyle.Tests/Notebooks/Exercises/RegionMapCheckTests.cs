using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Tests.Optimization;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks.Exercises;

/// <summary>Lesson 06's check on a seeded random VGG19 and tiny images: two halves flip; the stub and each bad map fail by name.</summary>
public class RegionMapCheckTests(DriverFixture fx) : IClassFixture<DriverFixture>
{
    private static Tensor Around(float r, float g, float b, ulong seed) =>
        tensor(new[] { r, g, b }).view(1, 3, 1, 1).add(rand(new long[] { 1, 3, 20, 20 }, generator: new Generator(seed)).mul(0.2f).sub(0.1f)).clamp(0, 1);

    private static readonly Painting Red = new("red", Around(0.9f, 0.2f, 0.1f, 1));
    private static readonly Painting Blue = new("blue", Around(0.1f, 0.2f, 0.9f, 2));

    private static readonly StyleTransferSettings Baseline = DriverFixture.Settings(10) with
    {
        Layers = [new("relu1_1", 1, 0), new("relu2_1", 1, 0), new("relu2_2", 0, 1)], ContentWeight = 1e-3,
    };

    private static Tensor Photo() =>
        full(new long[] { 1, 3, 32, 48 }, 0.5f).add(rand(new long[] { 1, 3, 32, 48 }, generator: new Generator(4)).mul(0.1f));

    /// <summary>The lesson's solution: the left half blue, the right half red.</summary>
    public static Tensor Halves(long height, long width)
    {
        var map = zeros(1, 3, height, width);
        map[.., 2, .., ..(int)(width / 2)] = tensor(1f);
        map[.., 0, .., (int)(width / 2)..] = tensor(1f);
        return map;
    }

    private CheckOutcome Evaluate(Func<long, long, Tensor> answer)
    {
        using var photo = Photo();
        return RegionMapCheck.Evaluate(fx.Network, photo, Red, Blue, Baseline, answer);
    }

    [Fact]
    public void TwoHalvesFlipWithThePaintings()
    {
        var outcome = Evaluate(Halves);
        Assert.True(outcome.Passed, outcome.Message);
        Assert.StartsWith("✔ the colour ratios flip with the paintings — 0000ff as red:", outcome.Message);
    }

    [Fact]
    public void TheStubAndEachBadMapFailByName()
    {
        Assert.Equal("✘ the map is one flat colour: paint two regions in two colours.", Evaluate((h, w) => zeros(1, 3, h, w)).Message);
        Assert.Throws<ExerciseCheckException>(() => Check.RegionMap(fx.Network, Photo(), Red, Blue, Baseline, (h, w) => zeros(1, 3, h, w)));
        Assert.Contains("the map has shape [3, 32, 48]", Evaluate((h, w) => Halves(h, w).squeeze(0)).Message);
        Assert.Contains("height and width are swapped", Evaluate((h, w) => Halves(w, h)).Message);
        Assert.Contains("not 0–255", Evaluate((h, w) => Halves(h, w).mul(255)).Message);
        Assert.Contains("the map has 3 colours", Evaluate((h, w) =>
        {
            var map = Halves(h, w);
            map[.., .., .., (int)(w / 2)] = tensor(0.5f); // a soft edge
            return map;
        }).Message);
        Assert.Contains("0000ff covers 4.2% of the photo", Evaluate((h, w) =>
        {
            var map = Halves(h, w);
            map[.., .., .., ..] = tensor(0f);
            map[.., 0] = tensor(1f);
            map[.., 0, .., ..2] = tensor(0f);
            map[.., 2, .., ..2] = tensor(1f);
            return map;
        }).Message);
        Assert.StartsWith("✘ red and blue are the same picture here", RegionMapCheck.Evaluate(fx.Network, Photo(), Red, Blue with { Image = Red.Image },
            Baseline, Halves).Message);
        Assert.Contains("PaintMap is not written yet", Evaluate((_, _) => throw new NotImplementedException()).Message);
    }
}
