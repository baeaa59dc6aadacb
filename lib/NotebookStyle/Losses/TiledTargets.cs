using NotebookStyle.Models;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// An objective's targets computed in tiles, for poster sizes: the content image's feature maps assembled from the
/// tiles' cores and the style image's Gram matrices summed over them (the same grid rule as <see cref="TiledObjective"/>:
/// origins on the deepest layer's stride, halos covering the receptive field). Only one crop's activations are alive at
/// a time; the results equal the whole image's up to floating-point summation order.
/// </summary>
public static class TiledTargets
{
    /// <summary>The feature maps [1, N, h, w] of <paramref name="image"/> at <paramref name="layers"/>, computed in tiles of about <paramref name="tileSize"/> pixels.</summary>
    public static Dictionary<string, Tensor> FeatureMaps(FeatureExtractor network, Tensor image, IReadOnlyList<string> layers, int tileSize)
    {
        var rows = layers.ToDictionary(l => l, _ => new List<List<Tensor>>(), StringComparer.Ordinal);
        try
        {
            Visit(network, image, layers, tileSize, (tile, grid, features) =>
            {
                foreach (var layer in layers)
                {
                    var core = tile.Core(features[layer], network.ReceptiveFieldOf(layer).Stride, grid, out _, out _);
                    if (core is null) continue;
                    if (tile.Column == 0 || rows[layer].Count == 0) rows[layer].Add([]);
                    rows[layer][^1].Add(core.contiguous().DetachFromDisposeScope());
                }
            });
            using var scope = NewDisposeScope();
            return rows.ToDictionary(kv => kv.Key,
                kv => cat([.. kv.Value.Select(row => cat([.. row], 3))], 2).MoveToOuterDisposeScope(), StringComparer.Ordinal);
        }
        finally
        {
            foreach (var piece in rows.Values.SelectMany(r => r).SelectMany(r => r)) piece.Dispose();
        }
    }

    /// <summary>The Gram matrices F·Fᵀ of <paramref name="image"/> at <paramref name="layers"/> and their numbers of positions, summed over tiles.</summary>
    public static Dictionary<string, (Tensor Gram, long Positions)> Grams(FeatureExtractor network, Tensor image, IReadOnlyList<string> layers, int tileSize)
    {
        var sums = new Dictionary<string, (Tensor Gram, long Positions)>(StringComparer.Ordinal);
        try
        {
            Visit(network, image, layers, tileSize, (tile, grid, features) =>
            {
                foreach (var layer in layers)
                {
                    var core = tile.Core(features[layer], network.ReceptiveFieldOf(layer).Stride, grid, out _, out _);
                    if (core is null) continue;
                    long m = core.shape[2] * core.shape[3];
                    var f = GramMatrix.Flatten(core);
                    var gram = f.matmul(f.t());
                    if (sums.TryGetValue(layer, out var sum)) sums[layer] = (sum.Gram.add_(gram), sum.Positions + m);
                    else sums[layer] = (gram.DetachFromDisposeScope(), m);
                }
            });
            return sums;
        }
        catch
        {
            foreach (var sum in sums.Values) sum.Gram.Dispose();
            throw;
        }
    }

    /// <summary>Runs each tile's crop through the network (no graph) and hands its features to <paramref name="use"/>; the features die with the tile.</summary>
    private static void Visit(FeatureExtractor network, Tensor image, IReadOnlyList<string> layers, int tileSize,
        Action<ImageTile, TileGrid, Dictionary<string, Tensor>> use)
    {
        var (stride, radius) = network.TilingGeometry(layers);
        var grid = TileGrid.Plan((int)image.shape[2], (int)image.shape[3], tileSize, stride, radius);
        using var _ = no_grad();
        foreach (var tile in grid.Tiles)
        {
            using var scope = NewDisposeScope();
            use(tile, grid, network.ExtractRgb(tile.Crop(image.detach()), layers));
        }
    }
}
