using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>Blends of styles and the Wasserstein style loss through the driver, on a seeded random VGG19 and 24×32 images.</summary>
public class StyleBlendTests(DriverFixture fx, ITestOutputHelper output) : IClassFixture<DriverFixture>
{
    [Theory]
    [InlineData(ColorMode.None)]
    [InlineData(ColorMode.Palette)]
    [InlineData(ColorMode.Histogram)]
    public void ABlendOfOneAndZeroIsTheSingleStyleRun(ColorMode color)
    {
        using var other = rand(new long[] { 1, 3, 16, 20 }, generator: new Generator(99));
        var s = DriverFixture.Settings(4) with { Color = color };
        using var single = StyleTransfer.Run(fx.Network, fx.Content, fx.Style, s);
        using var blend = StyleTransfer.Run(fx.Network, fx.Content, [new WeightedStyle(fx.Style, 1), new WeightedStyle(other, 0)], s);
        Assert.Equal(single.Final.Total, blend.Final.Total);
        Assert.Equal(single.Image.data<float>().ToArray(), blend.Image.data<float>().ToArray());
        // …and the other style does count when it has weight: the blend is not the single run.
        using var half = StyleTransfer.Run(fx.Network, fx.Content, [new WeightedStyle(fx.Style, 1), new WeightedStyle(other, 1)], s);
        Assert.NotEqual(single.Final.Total, half.Final.Total);
    }

    [Fact]
    public void TheStyleTermIsTheWeightedSumOfEachStylesTerm()
    {
        using var other = rand(new long[] { 1, 3, 20, 20 }, generator: new Generator(98));
        var settings = ResolvedSettings.Resolve(DriverFixture.Settings(1), fx.Network);
        using var image = rand(new long[] { 1, 3, 24, 32 }, generator: new Generator(3));
        double StyleTerm(IReadOnlyList<WeightedStyle> styles)
        {
            using var objective = settings.CreateObjective(fx.Network, fx.Content, styles);
            using var _ = no_grad();
            var (total, terms) = objective.Evaluate(image);
            total.Dispose();
            return terms["style"];
        }
        double a = StyleTerm([new WeightedStyle(fx.Style, 1)]), b = StyleTerm([new WeightedStyle(other, 1)]);
        // Weights 3 and 1 are normalised to 0.75 and 0.25.
        double mixed = StyleTerm([new WeightedStyle(fx.Style, 3), new WeightedStyle(other, 1)]);
        output.WriteLine($"style A {a:G6}, B {b:G6}, 3:1 blend {mixed:G6}");
        Assert.Equal(0.75 * a + 0.25 * b, mixed, 1e-5 * mixed);
    }

    [Fact]
    public void InvalidBlendWeightsAreRefusedWithAMessage()
    {
        var s = DriverFixture.Settings(1);
        var ex = Assert.Throws<NotebookStyleException>(() =>
            StyleTransfer.Run(fx.Network, fx.Content, [new WeightedStyle(fx.Style, 0), new WeightedStyle(fx.Style, 0)], s));
        Assert.Contains("above 0", ex.Message);
        Assert.Throws<NotebookStyleException>(() => StyleTransfer.Run(fx.Network, fx.Content, [new WeightedStyle(fx.Style, -1)], s));
        Assert.Throws<NotebookStyleException>(() => StyleTransfer.Run(fx.Network, fx.Content, Array.Empty<WeightedStyle>(), s));
    }

    [Fact]
    public void TheWassersteinStyleLossRunsAndBringsItsStyleTermDown()
    {
        var s = DriverFixture.Settings(8) with { StyleLoss = StyleLossKind.Wasserstein, Init = InitKind.Noise, ContentWeight = 0 };
        using var r = StyleTransfer.Run(fx.Network, fx.Content, fx.Style, s);
        output.WriteLine($"W2 style term {r.Initial["style"]:G5} → {r.Final["style"]:G5} in {r.Iterations} iterations");
        Assert.True(r.Final["style"] < 0.5 * r.Initial["style"], $"{r.Initial["style"]} → {r.Final["style"]}");
        using var gram = StyleTransfer.Run(fx.Network, fx.Content, fx.Style, s with { StyleLoss = StyleLossKind.Gram });
        Assert.NotEqual(gram.Final.Total, r.Final.Total);
    }
}
