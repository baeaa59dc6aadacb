using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>Targets computed in tiles (poster sizes) equal the whole image's: feature maps, Gram matrices, and the objective built from them.</summary>
public class TiledTargetsTests
{
    public TiledTargetsTests() => Torch.Ready();

    private static Tensor Image(long height, long width, ulong seed) =>
        rand([1, 3, height, width], generator: new Generator(seed), dtype: ScalarType.Float64);

    [Fact]
    public void FeatureMapsAndSumsOverPositionsEqualTheWholeImages()
    {
        using var scope = NewDisposeScope();
        using var vgg = new Vgg19(seed: 3);
        vgg.to(ScalarType.Float64);
        var image = Image(88, 120, 1);
        string[] layers = ["conv1_1", "conv3_1", "conv4_2"];
        var whole = vgg.ExtractRgb(image, layers);
        var maps = TiledTargets.FeatureMaps(vgg, image, layers, 32);
        var sums = TiledTargets.Sums(vgg, image, layers, 32, moments: true);
        var (stride, radius) = vgg.TilingGeometry(layers);
        Assert.True(TileGrid.Plan(88, 120, 32, stride, radius).Tiles.Count >= 6, "the test must cut the image into several tiles");
        foreach (var layer in layers)
        {
            Assert.Equal(whole[layer].shape, maps[layer].shape);
            Assert.True(whole[layer].allclose(maps[layer], rtol: 1e-9, atol: 1e-10), $"{layer}: feature maps differ");
            var gram = GramMatrix.Compute(whole[layer]);
            Assert.True(gram.allclose(sums[layer].Second, rtol: 1e-9, atol: 1e-8), $"{layer}: Gram matrices differ");
            Assert.True(whole[layer].sum([0, 2, 3]).allclose(sums[layer].First!, rtol: 1e-9, atol: 1e-8), $"{layer}: first moments differ");
            Assert.Equal(whole[layer].shape[2] * whole[layer].shape[3], sums[layer].Mass);
        }
    }

    [Fact]
    public void AnObjectiveWithTiledTargetsIsTheSameFunction()
    {
        using var scope = NewDisposeScope();
        using var resnet = new ResNet(seed: 4);
        resnet.to(ScalarType.Float64);
        var settings = ResolvedSettings.Resolve(new StyleTransferSettings
        {
            Layers = [new("relu1", 1, 0), new("layer1", 1, 0), new("layer2", 1, 1)], ContentWeight = 1e-2, TvWeight = 1e-2,
        }, resnet);
        var content = Image(96, 128, 2);
        var style = Image(112, 80, 3);
        var regions = new[] { new StyleRegion(null, [new WeightedStyle(style, 1)]) };
        using var whole = settings.CreateObjective(resnet, content, regions);
        using var tiled = settings.CreateObjective(resnet, content, regions, targetTileSize: 32);
        var x = Image(96, 128, 5);
        var (a, termsA) = whole.Evaluate(x);
        var (b, termsB) = tiled.Evaluate(x);
        foreach (var term in new[] { "content", "style", "tv" })
            Assert.Equal(termsA[term], termsB[term], Math.Abs(termsA[term]) * 1e-9);
        Assert.True(termsA["style"] > 0 && termsA["content"] > 0);
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void TotalVariationOverCoresAddsUpToTheWholeImages()
    {
        using var scope = NewDisposeScope();
        var image = Image(37, 53, 6);
        var tv = new TotalVariation(1.25);
        double whole = tv.Compute(image, new Dictionary<string, Tensor>()).ToDouble();
        var grid = TileGrid.Plan(37, 53, 16, 8, 3);
        double sum = grid.Tiles.Sum(t => tv.ComputeAt(t.Crop(image), t.Top - t.CropTop, Math.Min(t.Bottom, 36) - t.CropTop,
            t.Left - t.CropLeft, Math.Min(t.Right, 52) - t.CropLeft).ToDouble());
        Assert.Equal(whole, sum, whole * 1e-12);
    }
}
