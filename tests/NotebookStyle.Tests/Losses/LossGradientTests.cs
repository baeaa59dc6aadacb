using TorchSharp;
using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>Each loss's autograd gradient agrees with central finite differences (float64, tiny shapes).</summary>
public class LossGradientTests
{
    private const double Tolerance = 1e-6;

    private static Tensor Random(long seed, params long[] shape) =>
        rand(shape, dtype: ScalarType.Float64, generator: new Generator((ulong)seed));

    private static Func<Tensor, Tensor> OnFeatures(Loss loss, string layer, Tensor image) =>
        f => loss.Compute(image, new Dictionary<string, Tensor> { [layer] = f });

    [Theory]
    [InlineData(LossNormalization.Paper)]
    [InlineData(LossNormalization.TargetNorm)]
    public void ContentLossGradientMatchesFiniteDifferences(LossNormalization normalization)
    {
        Torch.Ready();
        using var target = Random(1, 1, 3, 4, 5);
        using var features = Random(2, 1, 3, 4, 5);
        using var image = Random(3, 1, 3, 8, 10);
        using var loss = new ContentLoss("relu1_1", target, normalization) { Weight = 0.7 };
        double err = GradientCheck.MaxRelativeError(features, OnFeatures(loss, "relu1_1", image));
        Assert.True(err < Tolerance, $"relative error {err:E2}");
    }

    [Theory]
    [InlineData(LossNormalization.Paper)]
    [InlineData(LossNormalization.TargetNorm)]
    public void StyleLossGradientMatchesFiniteDifferences(LossNormalization normalization)
    {
        Torch.Ready();
        // The style image may have another size than the generated one: its Gram is over its own positions.
        using var style = Random(4, 1, 4, 6, 5);
        using var features = Random(5, 1, 4, 3, 5).mul(2).sub(0.5);
        using var image = Random(6, 1, 3, 6, 10);
        using var loss = new StyleLoss("relu2_1", style, normalization) { Weight = 3.0 };
        double err = GradientCheck.MaxRelativeError(features, OnFeatures(loss, "relu2_1", image));
        Assert.True(err < Tolerance, $"relative error {err:E2}");
    }

    [Theory]
    [InlineData(1.25)]
    [InlineData(1.0)]
    public void TotalVariationGradientMatchesFiniteDifferences(double power)
    {
        Torch.Ready();
        using var image = Random(7, 1, 3, 5, 6);
        using var loss = new TotalVariation(power) { Weight = 2.0 };
        var empty = new Dictionary<string, Tensor>();
        double err = GradientCheck.MaxRelativeError(image, x => loss.Compute(x, empty), coordinates: 12);
        Assert.True(err < Tolerance, $"relative error {err:E2}");
    }

    [Fact]
    public void TotalVariationOfAFlatImageHasAZeroGradientNotNaN()
    {
        Torch.Ready();
        using var image = full(new long[] { 1, 3, 4, 4 }, 0.5, dtype: ScalarType.Float64).requires_grad_(true);
        using var loss = new TotalVariation(1.25);
        using var v = loss.Compute(image, new Dictionary<string, Tensor>());
        v.backward();
        Assert.Equal(0.0, v.ToDouble());
        Assert.Equal(0.0, image.grad!.abs().max().ToDouble());
    }

    [Fact]
    public void TotalVariationMatchesTheFormulaByHand()
    {
        Torch.Ready();
        // One channel, 2×3: only the pixels with a right and a lower neighbour count (here the first row's first two).
        using var image = tensor(new double[] { 0, 1, 3, 2, 2, 2 }, new long[] { 1, 1, 2, 3 });
        var empty = new Dictionary<string, Tensor>();
        // (0,0): a = (0−2)² = 4, b = (0−1)² = 1 → 5; (0,1): a = (1−2)² = 1, b = (1−3)² = 4 → 5.
        using var squared = new TotalVariation(1.0);
        Assert.Equal(10.0, squared.Compute(image, empty).ToDouble(), 12);
        using var seed = new TotalVariation(1.25) { Weight = 0.5 };
        Assert.Equal(0.5 * 2 * Math.Pow(5, 1.25), seed.Compute(image, empty).ToDouble(), 12);
    }
}
