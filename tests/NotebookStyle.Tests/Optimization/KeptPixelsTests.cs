using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Pixels no style region covers are held at the photo by a change of variables (<see cref="KeptPixels"/>).</summary>
public class KeptPixelsTests(DriverFixture fx, ITestOutputHelper output) : IClassFixture<DriverFixture>
{
    [Fact]
    public void TheEvaluatorsGradientIsTheChangeOfVariablesWholeAndTiled()
    {
        var settings = ResolvedSettings.Resolve(DriverFixture.Settings(1), fx.Network);
        using var objective = settings.CreateObjective(fx.Network, fx.Content, fx.Style);
        using var coverage = rand(new long[] { 1, 1, 24, 32 }, generator: new Generator(5));
        coverage[.., .., .., ..8] = tensor(0f);
        using var keep = new KeptPixels(fx.Content, coverage);
        using var start = rand(new long[] { 1, 3, 24, 32 }, generator: new Generator(6));

        // Reference: the objective at the composite, its gradient there times c.
        using var composite = new Parameter(keep.Apply(start).detach().clone(), requires_grad: true);
        var (total, _) = objective.Evaluate(composite);
        double expected = total.ToDouble();
        total.backward();
        total.Dispose();
        using var expectedGrad = composite.grad!.mul(coverage);

        using var x = new Parameter(start.clone(), requires_grad: true);
        using var evaluator = new ObjectiveEvaluator(objective, x) { Keep = keep };
        Assert.Equal(expected, evaluator.Evaluate()!.Value, 1e-6 * expected);
        Assert.True(x.grad!.sub(expectedGrad).abs().max().ToDouble() <= 1e-6 * expectedGrad.abs().max().ToDouble());
        Assert.Equal(0.0, x.grad![.., .., .., ..8].abs().max().ToDouble());   // uncovered pixels get no gradient

        using var tiledX = new Parameter(start.clone(), requires_grad: true);
        using var tiled = new ObjectiveEvaluator(objective, tiledX) { Keep = keep, Tiled = new TiledObjective(objective, 16) };
        Assert.Equal(expected, tiled.Evaluate()!.Value, 1e-5 * expected);
        double error = tiledX.grad!.sub(expectedGrad).norm().ToDouble() / expectedGrad.norm().ToDouble();
        Assert.True(error <= 1e-4, $"tiled gradient relative error {error}");
    }

    [Fact]
    public void WhatNoRegionCoversIsThePhotoAndMasksCoveringEverythingKeepNothing()
    {
        using var content = full(new long[] { 1, 3, 32, 48 }, 0.5f).add(rand(new long[] { 1, 3, 32, 48 }, generator: new Generator(4)).mul(0.1f));
        using var red = full(new long[] { 1, 3, 20, 20 }, 0.1f);
        red[.., 0] = tensor(0.9f);
        // Left third styled (hard mask), the rest uncovered.
        using var left = zeros(1, 1, 32, 48);
        left[.., .., .., ..16] = tensor(1f);
        var settings = DriverFixture.Settings(8) with { Layers = [new("relu1_1", 1, 0), new("relu2_1", 1, 0), new("relu2_2", 0, 1)], ContentWeight = 1e-3 };
        using var r = StyleTransfer.Run(fx.Network, content, [new StyleRegion(left, [new WeightedStyle(red, 1)])], settings);
        using var kept = r.Image[.., .., .., 16..].sub(content[.., .., .., 16..]).abs();
        using var styled = r.Image[.., .., .., ..16].sub(content[.., .., .., ..16]).abs();
        output.WriteLine($"mean change: styled {styled.mean().ToDouble():F4}, uncovered {kept.mean().ToDouble():F6}");
        Assert.True(styled.mean().ToDouble() > 0.05, "the styled region moved");
        Assert.True(kept.max().ToDouble() < 1e-6, "the uncovered pixels are the photo's");

        // A map whose regions together cover every pixel keeps nothing; a region without a mask covers everything.
        using var right = ones(1, 1, 32, 48).sub(left);
        var resolved = ResolvedSettings.Resolve(settings, fx.Network);
        WeightedStyle[] styles = [new(red, 1)];
        using (var partly = RunImages.Prepare(content, [new StyleRegion(left, styles)], CPU, resolved))
            Assert.Equal(0.0, partly.Coverage![.., .., .., 16..].abs().max().ToDouble());
        using (var all = RunImages.Prepare(content, [new StyleRegion(left, styles), new StyleRegion(right, styles)], CPU, resolved))
            Assert.Null(all.Coverage);
        using (var unmasked = RunImages.Prepare(content, [new StyleRegion(left, styles), new StyleRegion(null, styles)], CPU, resolved))
            Assert.Null(unmasked.Coverage);
    }
}
