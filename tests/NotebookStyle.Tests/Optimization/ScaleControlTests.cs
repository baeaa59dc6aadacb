using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Scale control: one style at the fine (shallow) layers, another at the coarse (deep) ones.</summary>
public class ScaleControlTests(DriverFixture fx, ITestOutputHelper output) : IClassFixture<DriverFixture>
{
    private double StyleTerm(IReadOnlyList<StyleRegion> regions)
    {
        var settings = ResolvedSettings.Resolve(DriverFixture.Settings(1), fx.Network);
        using var image = rand(new long[] { 1, 3, 24, 32 }, generator: new Generator(3));
        using var objective = settings.CreateObjective(fx.Network, fx.Content, regions);
        using var _ = no_grad();
        var (total, terms) = objective.Evaluate(image);
        total.Dispose();
        return terms["style"];
    }

    [Fact]
    public void EachLayerGroupMatchesItsOwnStyle()
    {
        using var other = rand(new long[] { 1, 3, 20, 20 }, generator: new Generator(97));
        string[] fine = ["relu1_1"], coarse = ["relu2_1", "relu3_1"];
        WeightedStyle[] a = [new(fx.Style, 1)], b = [new(other, 1)];
        double aFineBCoarse = StyleTerm([new StyleRegion(null, a, fine), new StyleRegion(null, b, coarse)]);
        double bFineACoarse = StyleTerm([new StyleRegion(null, b, fine), new StyleRegion(null, a, coarse)]);
        double allA = StyleTerm([new StyleRegion(null, a)]), allB = StyleTerm([new StyleRegion(null, b)]);
        output.WriteLine($"A fine + B coarse {aFineBCoarse:G6}, B fine + A coarse {bFineACoarse:G6}, all A {allA:G6}, all B {allB:G6}");
        // Every layer's term is A's or B's with the same weight, so the two splits together are all-A plus all-B.
        Assert.Equal(allA + allB, aFineBCoarse + bFineACoarse, 1e-5 * (allA + allB));
        Assert.NotEqual(aFineBCoarse, bFineACoarse, 1e-3 * aFineBCoarse);
        // The same style at both groups is the single-style objective.
        Assert.Equal(allA, StyleTerm([new StyleRegion(null, a, fine), new StyleRegion(null, a, coarse)]), 1e-5 * allA);
    }

    [Fact]
    public void ALayerWithoutStyleWeightIsRefused()
    {
        var ex = Assert.Throws<NotebookStyleException>(() => StyleTerm([new StyleRegion(null, [new WeightedStyle(fx.Style, 1)], ["relu5_1"])]));
        Assert.Contains("relu5_1", ex.Message);
    }

    [Fact]
    public void TheDriverRunsAScaleControlledTransfer()
    {
        using var other = rand(new long[] { 1, 3, 20, 20 }, generator: new Generator(96));
        using var r = StyleTransfer.Run(fx.Network, fx.Content,
            [new StyleRegion(null, [new WeightedStyle(fx.Style, 1)], ["relu1_1"]), new StyleRegion(null, [new WeightedStyle(other, 1)], ["relu2_1", "relu3_1"])],
            DriverFixture.Settings(4));
        Assert.True(r.Final.Total < r.Initial.Total, $"{r.Initial.Total} → {r.Final.Total}");
    }
}
