using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>
/// A blend of styles as one loss per layer (one Gram of the image per evaluation) equals the weighted sum of each style's
/// own loss, in value and gradient; the region loss's products over the mask's support equal those over every position.
/// </summary>
public class BlendStyleLossTests
{
    public BlendStyleLossTests() => Torch.Ready();

    private static Tensor Random(long seed, params long[] shape) =>
        rand(shape, dtype: ScalarType.Float64, generator: new Generator((ulong)seed));

    private static PositionSums Sums(Tensor features) => PositionSums.Of(features);

    private static readonly Tensor Image = zeros(1, 3, 4, 4, dtype: ScalarType.Float64);

    /// <summary>The loss's value at <paramref name="features"/> and its gradient there.</summary>
    private static (double Value, Tensor Gradient) At(Loss loss, Tensor features)
    {
        using var leaf = features.detach().clone().requires_grad_(true);
        using var value = loss.Compute(Image, new Dictionary<string, Tensor> { [loss.Layer!] = leaf });
        value.backward();
        return (value.ToDouble(), leaf.grad!.detach().clone());
    }

    private static void AssertSame((double Value, Tensor Gradient) expected, (double Value, Tensor Gradient) actual)
    {
        Assert.Equal(expected.Value, actual.Value, 1e-9 * Math.Abs(expected.Value));
        double error = actual.Gradient.sub(expected.Gradient).norm().ToDouble() / expected.Gradient.norm().ToDouble();
        Assert.True(error < 1e-9, $"gradient relative error {error:E2}");
    }

    [Theory]
    [InlineData(LossNormalization.Paper)]
    [InlineData(LossNormalization.TargetNorm)]
    public void ABlendIsTheWeightedSumOfItsStylesLosses(LossNormalization normalization)
    {
        // Three styles of different sizes (one of weight 0) against the image's features.
        using var a = Random(1, 1, 4, 6, 5);
        using var b = Random(2, 1, 4, 3, 7).mul(2);
        using var c = Random(3, 1, 4, 5, 5);
        using var features = Random(4, 1, 4, 4, 6);
        using var la = new StyleLoss("x", a, normalization) { Weight = 0.75 * 2.5 };
        using var lb = new StyleLoss("x", b, normalization) { Weight = 0.25 * 2.5 };
        using var blend = new StyleLoss("x", [(Sums(a), 0.75), (Sums(b), 0.25), (Sums(c), 0.0)], normalization) { Weight = 2.5 };
        var (va, ga) = At(la, features);
        var (vb, gb) = At(lb, features);
        AssertSame((va + vb, ga.add(gb)), At(blend, features));
        // The same through FromSums (tiled evaluation adds the tiles' sums up first).
        using var sums = new PositionSums(null, GramMatrix.Compute(features), 24);
        Assert.Equal(va + vb, blend.FromSums(sums).ToDouble(), 1e-9 * (va + vb));
        Assert.Throws<NotebookStyleException>(() => new StyleLoss("x", [(Sums(a), 0.0)], normalization));
        Assert.Throws<NotebookStyleException>(() => new StyleLoss("x", [(Sums(a), 1.0), (Sums(Random(5, 1, 3, 4, 4)), 1.0)], normalization));
    }

    [Theory]
    [InlineData(LossNormalization.Paper)]
    [InlineData(LossNormalization.TargetNorm)]
    public void ABlendInARegionIsTheWeightedSumOfItsStylesRegionLosses(LossNormalization normalization)
    {
        using var a = Random(6, 1, 4, 6, 5);
        using var b = Random(7, 1, 4, 3, 7);
        using var features = Random(8, 1, 4, 4, 6);
        using var mask = Random(9, 1, 1, 4, 6).to_type(ScalarType.Float32);
        mask[.., .., .., ..2] = tensor(0f);             // zeros: only the support's positions enter the products
        using var la = new StyleLoss("x", a, normalization, mask) { Weight = 0.4 * 3 };
        using var lb = new StyleLoss("x", b, normalization, mask) { Weight = 0.6 * 3 };
        using var blend = new StyleLoss("x", [(Sums(a), 0.4), (Sums(b), 0.6)], normalization, mask) { Weight = 3 };
        var (va, ga) = At(la, features);
        var (vb, gb) = At(lb, features);
        AssertSame((va + vb, ga.add(gb)), At(blend, features));
    }

    [Fact]
    public void TheRegionLossOverTheSupportIsTheMaskedGramOverEveryPosition()
    {
        using var style = Random(10, 1, 4, 6, 5);
        using var features = Random(11, 1, 4, 4, 6);
        using var mask = Random(12, 1, 1, 4, 6).to_type(ScalarType.Float32);
        mask[.., .., 1..3, ..] = tensor(0f);
        using var loss = new StyleLoss("x", style, LossNormalization.TargetNorm, mask) { Weight = 2 };
        // The definition, over all 24 positions: Ĝ = Σ m·f·fᵀ / Σ m against Â = A / M_s, divided by ΣÂ².
        using var m = mask.reshape(-1).to_type(ScalarType.Float64);
        using var f = features.reshape(4, 24);
        using var g = f.mul(m.unsqueeze(0)).matmul(f.t()).div(m.sum());
        using var target = GramMatrix.Compute(style).div(30);
        double expected = 2 * g.sub(target).square().sum().ToDouble() / target.square().sum().ToDouble();
        Assert.Equal(expected, At(loss, features).Value, 1e-9 * expected);
        var (index, weights) = loss.Mask!.Support(4, 6, features);
        Assert.NotNull(index);
        Assert.Equal(24 - 12, index!.shape[0]);
        Assert.Equal(index.shape[0], weights.shape[0]);
        using var full = new LayerMask(ones(1, 1, 4, 6));
        Assert.Null(full.Support(4, 6, features).Index);   // a mask above 0 everywhere needs no gather
    }

    [Fact]
    public void TheObjectiveHoldsOneStyleTermPerLayerForABlendGramOrWasserstein()
    {
        using var network = new Vgg19(seed: 3);
        using var content = rand(new long[] { 1, 3, 24, 32 }, generator: new Generator(1));
        using var a = rand(new long[] { 1, 3, 20, 20 }, generator: new Generator(2));
        using var b = rand(new long[] { 1, 3, 16, 24 }, generator: new Generator(3));
        LayerWeights[] layers = [new("relu1_1", 1, 0), new("relu2_1", 1, 0), new("relu2_2", 0, 1)];
        StyleRegion[] blend = [new StyleRegion(null, [new WeightedStyle(a, 1), new WeightedStyle(b, 2)])];
        var settings = new ObjectiveSettings(layers, LossNormalization.Paper, 1, 1, 0);
        using var gram = StyleTransferObjective.Create(network, content, blend, settings);
        using var w2 = StyleTransferObjective.Create(network, content, blend, settings with { StyleLoss = StyleLossKind.Wasserstein });
        Assert.Equal(2, gram.Losses.Count(l => l.Term == "style"));
        Assert.Equal(2, w2.Losses.Count(l => l.Term == "style"));
        // Tiled evaluation takes the blend too: same loss as the whole image.
        using var x = new Parameter(content.clone(), requires_grad: true);
        var (total, _) = gram.Evaluate(x);
        double whole = total.ToDouble();
        total.Dispose();
        using var tiledX = new Parameter(content.clone(), requires_grad: true);
        var (tiled, _) = new TiledObjective(gram, 16).Evaluate(tiledX);
        Assert.Equal(whole, tiled, 1e-5 * whole);
    }
}
