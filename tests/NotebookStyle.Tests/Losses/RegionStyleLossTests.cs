using NotebookStyle.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>The Gram style loss over a region: agrees with the whole-image loss, normalised by the region's own size, exact gradient.</summary>
public class RegionStyleLossTests
{
    private static Tensor Random(long seed, params long[] shape) =>
        rand(shape, dtype: ScalarType.Float64, generator: new Generator((ulong)seed));

    private static double Value(Loss loss, Tensor features)
    {
        using var image = zeros(1, 3, 4, 4, dtype: ScalarType.Float64);
        using var v = loss.Compute(image, new Dictionary<string, Tensor> { [loss.Layer!] = features });
        return v.ToDouble();
    }

    [Theory]
    [InlineData(LossNormalization.Paper)]
    [InlineData(LossNormalization.TargetNorm)]
    public void WithAMaskOfOnesItIsTheWholeImageStyleLoss(LossNormalization normalization)
    {
        Torch.Ready();
        using var style = Random(1, 1, 4, 6, 5);        // another size than the image's features
        using var features = Random(2, 1, 4, 3, 5);
        using var allOnes = ones(1, 1, 12, 20);            // any size: resized to the layer's
        using var whole = new StyleLoss("x", style, normalization) { Weight = 2.5 };
        using var region = new StyleLoss("x", style, normalization, allOnes) { Weight = 2.5 };
        double expected = Value(whole, features);
        Assert.Equal(expected, Value(region, features), 1e-9 * expected);
    }

    [Fact]
    public void ARegionIsNormalisedByItsOwnSizeSoASmallOneIsNotDrowned()
    {
        Torch.Ready();
        using var style = Random(3, 1, 4, 6, 6);
        using var inside = Random(4, 1, 4, 4, 2).mul(3);
        using var outside = Random(5, 1, 4, 4, 6);
        using var features = cat([inside, outside], 3);   // [1, 4, 4, 8]: the region is the first 2 of 8 columns
        using var mask = zeros(1, 1, 4, 8);
        mask[.., .., .., ..2] = tensor(1f);
        using var small = new StyleLoss("x", style, mask: mask);
        using var alone = new StyleLoss("x", style, mask: ones(1, 1, 4, 2));
        // The region's loss is that of its own pixels alone, whatever else the image holds and however small the region.
        double expected = Value(alone, inside);
        Assert.Equal(expected, Value(small, features), 1e-9 * expected);
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesWithASoftMask()
    {
        Torch.Ready();
        using var style = Random(6, 1, 4, 6, 5);
        using var features = Random(7, 1, 4, 4, 6).mul(2).sub(0.5);
        using var mask = Random(8, 1, 1, 8, 12).to_type(ScalarType.Float32);  // soft, at twice the layer's size
        using var loss = new StyleLoss("x", style, mask: mask) { Weight = 3.0 };
        using var image = zeros(1, 3, 4, 4, dtype: ScalarType.Float64);
        double err = GradientCheck.MaxRelativeError(features, f => loss.Compute(image, new Dictionary<string, Tensor> { ["x"] = f }), coordinates: 12);
        Assert.True(err < 1e-6, $"relative error {err:E2}");
    }

    [Fact]
    public void TheMaskedWassersteinLossMatchesFiniteDifferencesAndIgnoresTheOutside()
    {
        Torch.Ready();
        using var style = Random(9, 1, 3, 5, 6);
        using var features = Random(10, 1, 3, 4, 6);
        using var mask = zeros(1, 1, 4, 6);
        mask[.., .., .., 3..] = tensor(1f);
        using var loss = new WassersteinStyleLoss("x", style, mask: mask);
        using var image = zeros(1, 3, 4, 4, dtype: ScalarType.Float64);
        double err = GradientCheck.MaxRelativeError(features, f => loss.Compute(image, new Dictionary<string, Tensor> { ["x"] = f }), coordinates: 12);
        Assert.True(err < 1e-6, $"relative error {err:E2}");
        using var changedOutside = features.clone();
        changedOutside[.., .., .., ..3] = tensor(5.0);
        Assert.Equal(Value(loss, features), Value(loss, changedOutside), 12);
    }

    [Fact]
    public void ABadMaskIsRefused()
    {
        Torch.Ready();
        using var style = Random(11, 1, 3, 4, 4);
        Assert.Throws<NotebookStyleException>(() => new StyleLoss("x", style, mask: ones(2, 1, 4, 4)));
        Assert.Throws<NotebookStyleException>(() => new StyleLoss("x", style, mask: full(new long[] { 4, 4 }, 2f)));
    }
}
