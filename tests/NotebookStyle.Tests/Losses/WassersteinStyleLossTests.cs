using NotebookStyle.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>The Wasserstein-2 style loss: its value on known cases and its gradient against finite differences.</summary>
public class WassersteinStyleLossTests
{
    private static Tensor Random(long seed, params long[] shape) =>
        rand(shape, dtype: ScalarType.Float64, generator: new Generator((ulong)seed));

    private static double Value(Loss loss, string layer, Tensor features)
    {
        using var image = zeros(1, 3, 4, 4, dtype: ScalarType.Float64);
        using var v = loss.Compute(image, new Dictionary<string, Tensor> { [layer] = features });
        return v.ToDouble();
    }

    [Theory]
    [InlineData(LossNormalization.Paper)]
    [InlineData(LossNormalization.TargetNorm)]
    public void GradientMatchesFiniteDifferences(LossNormalization normalization)
    {
        Torch.Ready();
        // More positions than channels: full-rank covariances (the eigenvalues stay away from the floor).
        using var style = Random(11, 1, 4, 5, 6);
        using var features = Random(12, 1, 4, 4, 5).mul(2).sub(0.5);
        using var image = Random(13, 1, 3, 8, 10);
        using var loss = new WassersteinStyleLoss("relu2_1", style, normalization) { Weight = 3.0 };
        double err = GradientCheck.MaxRelativeError(features, f => loss.Compute(image, new Dictionary<string, Tensor> { ["relu2_1"] = f }), coordinates: 16);
        Assert.True(err < 1e-6, $"relative error {err:E2}");
    }

    [Fact]
    public void IsZeroAtTheStyleAndTheSquaredShiftForAShiftedStyle()
    {
        Torch.Ready();
        using var style = Random(21, 1, 5, 6, 6);
        using var loss = new WassersteinStyleLoss("x", style);
        Assert.True(Math.Abs(Value(loss, "x", style)) < 1e-9, "W2 of the style to itself");
        // Same covariance, mean moved by 0.3 in every channel: W2² = N·0.3², divided by N in paper mode.
        using var shifted = style.add(0.3);
        Assert.Equal(0.09, Value(loss, "x", shifted), 9);
        // A permutation of the positions has the same Gaussian fit (Gram and W2 both ignore where things are).
        using var flipped = style.flip(3);
        Assert.True(Math.Abs(Value(loss, "x", flipped)) < 1e-9);
    }

    [Fact]
    public void MatchesTheClosedFormForDiagonalCovariances()
    {
        Torch.Ready();
        // Two channels, independent: W2² = Σ (μ − μs)² + (σ − σs)² per channel.
        using var style = tensor(new double[] { 0, 2, 0, 2, 1, 1, 3, 3 }, [1, 2, 2, 2]);  // ch0: mean 1, var 1; ch1: mean 2, var 1
        using var image = tensor(new double[] { 0, 4, 0, 4, 1, 1, 1, 1 }, [1, 2, 2, 2]);  // ch0: mean 2, var 4; ch1: mean 1, var 0
        using var loss = new WassersteinStyleLoss("x", style) { Weight = 2.0 };
        double expected = ((2 - 1) * (2 - 1) + (2 - 1) * (2 - 1) + (1 - 2) * (1 - 2) + (0 - 1) * (0 - 1)) * 2.0 / 2;
        Assert.Equal(expected, Value(loss, "x", image), 6);
    }

    [Fact]
    public void HasAFiniteGradientForRankDeficientFeatures()
    {
        Torch.Ready();
        // Fewer positions than channels: singular covariances; the floor keeps √ off its unbounded derivative.
        using var style = Random(31, 1, 8, 2, 2);
        using var features = Random(32, 1, 8, 1, 3).requires_grad_(true);
        using var loss = new WassersteinStyleLoss("x", style);
        using var image = zeros(1, 3, 4, 4, dtype: ScalarType.Float64);
        using var v = loss.Compute(image, new Dictionary<string, Tensor> { ["x"] = features });
        v.backward();
        Assert.True(double.IsFinite(v.ToDouble()));
        Assert.True(features.grad!.isfinite().all().ToBoolean());
    }
}
