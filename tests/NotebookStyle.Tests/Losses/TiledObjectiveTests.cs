using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>Tiled evaluation gives the whole image's loss and gradient (random weights: exactness does not need trained ones).</summary>
public class TiledObjectiveTests
{
    public TiledObjectiveTests() => Torch.Ready();

    private static Tensor Image(long height, long width, ulong seed, ScalarType dtype = ScalarType.Float32) =>
        rand([1, 3, height, width], generator: new Generator(seed)).to(dtype);

    [Fact]
    public void Vgg19ReceptiveFieldsAreTheKnownOnes()
    {
        using var vgg = new Vgg19(seed: 1);
        Assert.Equal(24, vgg.ReceptiveFieldOf("conv3_1").Size);
        Assert.Equal(68, vgg.ReceptiveFieldOf("conv4_1").Size);
        Assert.Equal(84, vgg.ReceptiveFieldOf("conv4_2").Size);
        Assert.Equal(156, vgg.ReceptiveFieldOf("conv5_1").Size);
        Assert.Equal(16, vgg.ReceptiveFieldOf("pool4").Stride);
        Assert.Equal(8, vgg.ReceptiveFieldOf("block4_conv2").Stride);
        Assert.Equal(38, vgg.ReceptiveFieldOf("conv4_2").Radius);
    }

    [Fact]
    public void GridCoresPartitionTheImageOnStrideMultiples()
    {
        var grid = TileGrid.Plan(200, 130, 50, 16, 38);
        Assert.Equal(64, grid.TileSize);
        Assert.Equal(48, grid.Halo);
        Assert.Equal(200L * 130, grid.Tiles.Sum(t => (long)(t.Bottom - t.Top) * (t.Right - t.Left)));
        Assert.All(grid.Tiles, t => Assert.True(t.Top % 16 == 0 && t.Left % 16 == 0 && t.CropTop % 16 == 0 && t.CropLeft % 16 == 0));
        Assert.All(grid.Tiles, t => Assert.True(t.CropTop == Math.Max(0, t.Top - 48) && t.CropBottom == Math.Min(200, t.Bottom + 48)));
    }

    [Fact]
    public void ResNetTapsBeyondTheGlobalPoolCannotBeTiled()
    {
        using var resnet = new ResNet(seed: 1);
        Assert.Equal(32, resnet.ReceptiveFieldOf("layer4").Stride);
        Assert.Throws<NotSupportedException>(() => resnet.ReceptiveFieldOf("avgpool"));
    }

    /// <summary>
    /// Loss within 1e-5 relative and gradient within 1e-4 relative L2 of the untiled evaluation. In float32 a crop's
    /// convolutions may round differently from the whole image's; a pre-activation within rounding of 0 then crosses
    /// ReLU's kink (or flips a max-pool choice) and moves the gradient locally: a property of float32, not of tiling.
    /// Float64 makes such crossings vanishingly rare; the float32 cases use sizes without one.
    /// </summary>
    private static void AssertTiledEqualsWhole(FeatureExtractor network, IReadOnlyList<LayerWeights>? layers, long height, long width, int tile,
        ScalarType dtype = ScalarType.Float32, StyleLossKind kind = StyleLossKind.Gram, bool regions = false)
    {
        using var scope = NewDisposeScope();
        network.to(dtype);
        var settings = ResolvedSettings.Resolve(new StyleTransferSettings { Layers = layers, ContentWeight = 1e-3, TvWeight = 1e-2, StyleLoss = kind }, network);
        var style = Image(160, 160, 2, dtype);
        using var objective = settings.CreateObjective(network, Image(height, width, 1, dtype), regions ? TwoRegions(height, width, style, Image(96, 128, 4, dtype)) : [new StyleRegion(null, [new WeightedStyle(style, 1)])]);
        var start = Image(height, width, 3, dtype);

        using var whole = new Parameter(start.clone(), requires_grad: true);
        var (total, terms) = objective.Evaluate(whole);
        total.backward();
        using var tiledX = new Parameter(start.clone(), requires_grad: true);
        var tiles = new TiledObjective(objective, tile);
        Assert.True(tiles.GridFor(height, width).Tiles.Count >= 4, "the test must cut the image into several tiles");
        var (loss, tiledTerms) = tiles.Evaluate(tiledX);

        Assert.True(terms["style"] > 0 && terms["content"] > 0 && terms["tv"] > 0);
        Assert.True(Math.Abs(loss - terms.Total) <= 1e-5 * Math.Abs(terms.Total), $"tiled {loss} vs whole {terms.Total}");
        foreach (var term in new[] { "style", "content", "tv" })
            Assert.True(Math.Abs(tiledTerms[term] - terms[term]) <= 1e-5 * Math.Abs(terms[term]), $"{term}: {tiledTerms[term]} vs {terms[term]}");
        double error = tiledX.grad!.sub(whole.grad!).norm().ToDouble() / whole.grad!.norm().ToDouble();
        Assert.True(error <= 1e-4, $"gradient relative L2 error {error}");
        Assert.Equal(terms.Total, tiles.Measure(start).Total, terms.Total * 1e-5);
    }

    /// <summary>
    /// A region map of two soft regions that do not follow the tiles: a diagonal split ramped over a few pixels (masks
    /// at half the image's size, summing to 1), the second region a blend of two styles.
    /// </summary>
    private static StyleRegion[] TwoRegions(long height, long width, Tensor a, Tensor b)
    {
        var ys = arange(height / 2, dtype: ScalarType.Float32).unsqueeze(1);
        var xs = arange(width / 2, dtype: ScalarType.Float32).unsqueeze(0);
        var first = ys.mul(1.3).sub(xs).add(5).div(3).clamp(0, 1).unsqueeze(0).unsqueeze(0); // exact 0s and 1s: each core sums over its support
        return [new StyleRegion(first, [new WeightedStyle(a, 1)]), new StyleRegion(first.neg().add(1), [new WeightedStyle(b, 2), new WeightedStyle(a.flip(3), 1)])];
    }

    /// <summary>The default VGG19 layers down to conv4 (conv5 would make the halo cover this small image whole; CI has two cores).</summary>
    private static readonly LayerWeights[] Vgg19ToBlock4 =
        [new("block1_conv1", 1, 0), new("block2_conv1", 1, 0), new("block3_conv1", 1, 0), new("block4_conv1", 1, 0), new("block4_conv2", 0, 1)];

    [Fact]
    public void Vgg19TiledLossAndGradientEqualTheWholeImages() =>
        AssertTiledEqualsWhole(new Vgg19(seed: 5), Vgg19ToBlock4, 256, 192, 96);

    [Theory]
    [InlineData(80, 112, 48, false)]
    [InlineData(48, 64, 32, true)]
    public void SmallOddGridsTileExactly(int height, int width, int tile, bool conv5) =>
        AssertTiledEqualsWhole(new Vgg19(seed: 8), conv5 ? null : Vgg19ToBlock4, height, width, tile, ScalarType.Float64);

    /// <summary>The figure: 768×576, 256 px tiles, the default VGG19 layers (conv5: halo 96 px); ~20 s on 2 cores.</summary>
    [Fact]
    public void Vgg19DefaultLayersAtPosterTestSizeTileExactly() =>
        AssertTiledEqualsWhole(new Vgg19(seed: 6), null, 576, 768, 256);

    [Fact]
    public void ARegionMapTilesExactly() =>
        AssertTiledEqualsWhole(new Vgg19(seed: 8), Vgg19ToBlock4, 80, 112, 48, ScalarType.Float64, regions: true);

    [Fact]
    public void TheWassersteinTermTilesExactly() =>
        AssertTiledEqualsWhole(new Vgg19(seed: 8), Vgg19ToBlock4, 80, 112, 48, ScalarType.Float64, StyleLossKind.Wasserstein);

    [Fact]
    public void TheWassersteinTermOverARegionMapTilesExactly() =>
        AssertTiledEqualsWhole(new Vgg19(seed: 9), Vgg19ToBlock4, 80, 112, 48, ScalarType.Float64, StyleLossKind.Wasserstein, regions: true);

    [Fact]
    public void ResNetTiledLossAndGradientEqualTheWholeImages() =>
        AssertTiledEqualsWhole(new ResNet(seed: 5), [new("relu1", 1, 0), new("layer1", 1, 0), new("layer2", 1, 1), new("layer3", 1, 0)], 256, 192, 128);

    [Fact]
    public void LbfgsRunsTiledAndWholeEndAlike()
    {
        using var scope = NewDisposeScope();
        // Float64: L-BFGS would amplify float32's rounding-level differences (see AssertTiledEqualsWhole).
        using var vgg = new Vgg19(seed: 7);
        vgg.to(ScalarType.Float64);
        var content = Image(80, 112, 11, ScalarType.Float64);
        var style = Image(96, 96, 12, ScalarType.Float64);
        var settings = new StyleTransferSettings
        {
            Iterations = 20, MaxEvaluations = 20, ContentWeight = 1e-3, Color = NotebookStyle.Imaging.ColorMode.None, Layers = Vgg19ToBlock4,
        };
        using var whole = StyleTransfer.Run(vgg, content, style, settings);
        using var tiled = StyleTransfer.Run(vgg, content, style, settings with { Tiling = new TilingSettings(TileSize: 48) });
        Assert.Equal(whole.Evaluations, tiled.Evaluations);
        double difference = whole.Image.sub(tiled.Image).abs().mean().ToDouble();
        Assert.True(difference <= 1e-3, $"mean absolute pixel difference {difference}");
        Assert.True(whole.Image.sub(content).abs().mean().ToDouble() > 1e-3, "the run must move the image");
    }
}
