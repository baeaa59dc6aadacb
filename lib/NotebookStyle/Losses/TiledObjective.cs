using NotebookStyle.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Evaluates a <see cref="StyleTransferObjective"/> and its gradient in tiles, exactly: memory follows the tile, not
/// the image. Every style term reads sums over positions (<see cref="PositionSums"/>), which add up over the tiles'
/// cores. Pass 1 (no graph) runs each tile's crop through the network and adds each statistic's sums over the tile's
/// core positions (a region's mask weighting them there), and the content terms over the core; the style terms and their
/// gradients dL/dS with respect to each whole-image statistic S follow. Pass 2 runs each crop again with a graph and
/// back-propagates the surrogate Σ ⟨dL/dS, S_core⟩ + content over the core, whose gradient with respect to the crop's
/// pixels is exactly this tile's share of ∇f; the crop's whole gradient (halo included) is added into the image's. Total
/// variation is summed over the cores too (each position reads one neighbour, inside the halo), so nothing image-sized is
/// built besides the image, its gradient and their product. Loss and gradient equal the untiled ones up to floating-point
/// summation order, for every style term (Gram, blends, regions, Wasserstein), so L-BFGS and its line search need
/// nothing else.
/// </summary>
/// <remarks>
/// Departure from tiling as other tools do it (per-tile Gram matrices, random tile shifts): the style term is the
/// paper's, over the whole image.
/// </remarks>
public sealed class TiledObjective
{
    private readonly StyleTransferObjective _objective;
    private readonly string[] _taps;
    private readonly Dictionary<string, ReceptiveField> _fields;
    private readonly int _tileSize;
    private readonly List<StyleTerm> _styles;
    private readonly List<ContentLoss> _contents;
    private readonly List<TotalVariation> _tvs;
    private readonly LayerStatistic[] _statistics;
    private readonly Dictionary<(long, long), Dictionary<string, (long Height, long Width)>> _layerSizes = [];

    /// <summary>Evaluates <paramref name="objective"/> in tiles with cores of about <paramref name="tileSize"/> pixels.</summary>
    /// <exception cref="NotebookStyleException">The objective has a term that does not decompose over positions, or a tap with no receptive field.</exception>
    public TiledObjective(StyleTransferObjective objective, int tileSize)
    {
        if (!Supports(objective))
            throw new NotebookStyleException("This objective cannot be evaluated in tiles: its terms must be content, style and total variation, " +
                                             "read at layers with a receptive field (not past a global pool).");
        _objective = objective;
        _tileSize = tileSize;
        _taps = [.. objective.Losses.Where(l => l.Layer is not null).Select(l => l.Layer!).Distinct()];
        _fields = _taps.ToDictionary(t => t, objective.Network.ReceptiveFieldOf, StringComparer.Ordinal);
        _styles = [.. objective.Losses.OfType<StyleTerm>()];
        _contents = [.. objective.Losses.OfType<ContentLoss>()];
        _tvs = [.. objective.Losses.OfType<TotalVariation>()];
        _statistics = [.. _styles.Select(s => s.Statistic).Distinct()];
    }

    /// <summary>Whether every term of <paramref name="objective"/> decomposes over tiles and its network describes its geometry.</summary>
    public static bool Supports(StyleTransferObjective objective)
    {
        if (!objective.Losses.All(l => l is ContentLoss or StyleTerm or TotalVariation)) return false;
        try
        {
            foreach (var layer in objective.Losses.Where(l => l.Layer is not null)) objective.Network.ReceptiveFieldOf(layer.Layer!);
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Called with (tile number from 1, tiles, pass 1 or 2) as each tile is evaluated.</summary>
    public Action<int, int, int>? OnTile { get; init; }

    /// <summary>The grid for an image of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public TileGrid GridFor(long height, long width)
    {
        int stride = _fields.Values.Select(f => f.Stride).DefaultIfEmpty(1).Max();
        int radius = _fields.Values.Select(f => f.Radius).DefaultIfEmpty(0).Max();
        return TileGrid.Plan((int)height, (int)width, _tileSize, stride, radius);
    }

    /// <summary>The loss terms at <paramref name="image"/> (pass 1 only, no gradient).</summary>
    public LossTerms Measure(Tensor image)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var grid = GridFor(image.shape[2], image.shape[3]);
        using var sums = FirstPass(image.detach(), grid);
        return Terms(sums, gradients: false).Terms;
    }

    /// <summary>
    /// f at <paramref name="image"/> (a [1, 3, H, W] leaf with gradients on) and its terms; ∇f is added into the image's
    /// <c>grad</c> as <c>backward()</c> would. When f is not finite the gradient is not computed.
    /// </summary>
    public (double Loss, LossTerms Terms) Evaluate(Tensor image)
    {
        using var scope = NewDisposeScope();
        var grid = GridFor(image.shape[2], image.shape[3]);
        var pixels = image.detach();
        FirstPassSums sums;
        using (no_grad()) sums = FirstPass(pixels, grid);
        using var ownedSums = sums;
        var (terms, statisticGradients) = Terms(sums, gradients: true);
        if (!double.IsFinite(terms.Total)) return (terms.Total, terms);

        using var gradient = zeros_like(pixels);
        SecondPass(pixels, grid, statisticGradients, gradient);
        // The tiles' gradient handed to autograd: d/dx Σ x·g = g exactly, so image.grad receives g as the untiled
        // backward() would give.
        using (var surrogate = image.mul(gradient).sum()) surrogate.backward();
        return (terms.Total, terms);
    }

    /// <summary>Each statistic's whole-image sums, and the content and TV terms summed over cores.</summary>
    private sealed class FirstPassSums : IDisposable
    {
        public Dictionary<LayerStatistic, PositionSums> Statistics { get; } = [];
        public double Content { get; set; }
        public double Tv { get; set; }

        public void Dispose()
        {
            foreach (var sums in Statistics.Values) sums.Dispose();
        }
    }

    /// <summary>
    /// Pass 1. The bottom-right tile goes first: its crop reaches the image's far edges, so its feature maps give each
    /// layer's whole size (which a region's mask is resized to) before any other tile needs it.
    /// </summary>
    private FirstPassSums FirstPass(Tensor pixels, TileGrid grid)
    {
        var sums = new FirstPassSums();
        for (int k = 0; k < grid.Tiles.Count; k++)
        {
            OnTile?.Invoke(k + 1, grid.Tiles.Count, 1);
            var tile = grid.Tiles[grid.Tiles.Count - 1 - k];
            using var scope = NewDisposeScope();
            var crop = tile.Crop(pixels);
            var features = _objective.Network.ExtractRgb(crop, _taps);
            var sizes = LayerSizes(grid, tile, features);
            foreach (var statistic in _statistics)
            {
                using var part = CoreSums(statistic, tile, grid, features, sizes);
                if (part is null) continue;
                if (sums.Statistics.TryGetValue(statistic, out var total)) total.Add(part);
                else sums.Statistics[statistic] = part.Kept();
            }
            foreach (var content in _contents)
            {
                var core = tile.Core(features[content.Layer], _fields[content.Layer].Stride, grid, out long y, out long x);
                if (core is not null) sums.Content += content.ComputeAt(core, y, x).ToDouble();
            }
            foreach (var tv in _tvs) sums.Tv += TvAt(tv, crop, tile, grid).ToDouble();
        }
        return sums;
    }

    /// <summary>The terms from the first pass's sums; with <paramref name="gradients"/>, dL/dS per statistic.</summary>
    private (LossTerms Terms, Dictionary<LayerStatistic, PositionSums> Gradients) Terms(FirstPassSums sums, bool gradients)
    {
        using var scope = NewDisposeScope();
        var leaves = sums.Statistics.ToDictionary(kv => kv.Key, kv => gradients ? kv.Value.Leaves() : kv.Value);
        Tensor? style = null;
        foreach (var term in _styles)
        {
            var value = term.FromSums(leaves[term.Statistic]);
            style = style is null ? value : style.add(value);
        }
        var statisticGradients = new Dictionary<LayerStatistic, PositionSums>();
        if (gradients && style is not null)
        {
            style.backward();
            foreach (var (statistic, leaf) in leaves)
                statisticGradients[statistic] = new PositionSums(leaf.First?.grad?.detach().clone().MoveToOuterDisposeScope(),
                    leaf.Second.grad!.detach().clone().MoveToOuterDisposeScope(), 0);
        }
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (_contents.Count > 0) values["content"] = sums.Content;
        if (style is not null) values["style"] = style.ToDouble();
        if (_tvs.Count > 0) values["tv"] = sums.Tv;
        return (new LossTerms(values, values.Values.Sum()), statisticGradients);
    }

    private void SecondPass(Tensor pixels, TileGrid grid, Dictionary<LayerStatistic, PositionSums> statisticGradients, Tensor gradient)
    {
        for (int i = 0; i < grid.Tiles.Count; i++)
        {
            OnTile?.Invoke(i + 1, grid.Tiles.Count, 2);
            var tile = grid.Tiles[i];
            using var scope = NewDisposeScope();
            var crop = tile.Crop(pixels).clone().requires_grad_(true);
            var features = _objective.Network.ExtractRgb(crop, _taps);
            var sizes = LayerSizes(grid, tile, features);
            Tensor? surrogate = null;
            foreach (var (statistic, dS) in statisticGradients)
            {
                var part = CoreSums(statistic, tile, grid, features, sizes);
                if (part is null) continue;
                // ⟨dL/dS, S_core⟩: its gradient is this core's share of dL/dS · dS/dF.
                var term = part.Pairing(dS);
                surrogate = surrogate is null ? term : surrogate.add(term);
            }
            foreach (var content in _contents)
            {
                var core = tile.Core(features[content.Layer], _fields[content.Layer].Stride, grid, out long y, out long x);
                if (core is null) continue;
                var term = content.ComputeAt(core, y, x);
                surrogate = surrogate is null ? term : surrogate.add(term);
            }
            foreach (var tv in _tvs)
            {
                var term = TvAt(tv, crop, tile, grid);
                surrogate = surrogate is null ? term : surrogate.add(term);
            }
            if (surrogate is null) continue;
            surrogate.backward();
            using (no_grad())
                gradient.narrow(2, tile.CropTop, tile.CropHeight).narrow(3, tile.CropLeft, tile.CropWidth).add_(crop.grad!);
        }
    }

    /// <summary>A statistic's sums over a tile's core (null when the core has no position at its layer).</summary>
    private PositionSums? CoreSums(LayerStatistic statistic, ImageTile tile, TileGrid grid, Dictionary<string, Tensor> features,
        Dictionary<string, (long Height, long Width)> sizes)
    {
        var core = tile.Core(features[statistic.Layer], _fields[statistic.Layer].Stride, grid, out long y, out long x);
        if (core is null) return null;
        var (height, width) = sizes[statistic.Layer];
        return PositionSums.Of(core, statistic, height, width, y, x);
    }

    /// <summary>
    /// Each tap's whole feature-map size for the grid's image, read off the first tile that reaches the image's bottom-right
    /// corner (a crop's origin is on the layer's stride, so its map ends where the whole image's does); kept per image size.
    /// </summary>
    private Dictionary<string, (long Height, long Width)> LayerSizes(TileGrid grid, ImageTile tile, Dictionary<string, Tensor> features)
    {
        if (_layerSizes.TryGetValue((grid.Height, grid.Width), out var sizes)) return sizes;
        if (tile.CropBottom != grid.Height || tile.CropRight != grid.Width)
            throw new InvalidOperationException("The layer sizes are read off the bottom-right tile, which pass 1 visits first.");
        sizes = _taps.ToDictionary(t => t, t =>
        {
            int stride = _fields[t].Stride;
            return (tile.CropTop / stride + features[t].shape[2], tile.CropLeft / stride + features[t].shape[3]);
        }, StringComparer.Ordinal);
        return _layerSizes[(grid.Height, grid.Width)] = sizes;
    }

    /// <summary>The total variation at a tile's core positions: rows and columns that have both neighbours in the image.</summary>
    private static Tensor TvAt(TotalVariation tv, Tensor crop, ImageTile tile, TileGrid grid) =>
        tv.ComputeAt(crop, tile.Top - tile.CropTop, Math.Min(tile.Bottom, grid.Height - 1) - tile.CropTop,
            tile.Left - tile.CropLeft, Math.Min(tile.Right, grid.Width - 1) - tile.CropLeft);
}
