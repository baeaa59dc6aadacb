using NotebookStyle.Models;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// An objective's targets computed in tiles, for poster sizes: the content image's feature maps assembled from the
/// tiles' cores and the style image's sums over positions (Gram sums, moments) added up over them (the same grid rule as <see cref="TiledObjective"/>:
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

    /// <summary>
    /// The unmasked sums over positions (<see cref="PositionSums"/>: Σ f·fᵀ, with <paramref name="moments"/> Σ f too, and
    /// the number of positions) of <paramref name="image"/> at <paramref name="layers"/>, summed over tiles: any style
    /// term's target.
    /// </summary>
    public static Dictionary<string, PositionSums> Sums(FeatureExtractor network, Tensor image, IReadOnlyList<string> layers, int tileSize, bool moments = false)
    {
        var sums = new Dictionary<string, PositionSums>(StringComparer.Ordinal);
        try
        {
            Visit(network, image, layers, tileSize, (tile, grid, features) =>
            {
                foreach (var layer in layers)
                {
                    var core = tile.Core(features[layer], network.ReceptiveFieldOf(layer).Stride, grid, out _, out _);
                    if (core is null) continue;
                    using var part = PositionSums.Of(core, moments);
                    if (sums.TryGetValue(layer, out var sum)) sum.Add(part);
                    else sums[layer] = part.Kept();
                }
            });
            return sums;
        }
        catch
        {
            foreach (var sum in sums.Values) sum.Dispose();
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
