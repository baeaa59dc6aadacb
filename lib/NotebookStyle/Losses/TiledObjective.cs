using NotebookStyle.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Evaluates a <see cref="StyleTransferObjective"/> and its gradient in tiles, exactly: memory follows the tile, not
/// the image. Pass 1 (no graph) runs each tile's crop through the network and adds the Gram sums over the tile's core
/// positions into the whole image's Gram matrix per style layer, and the content terms over the core; the style loss and
/// its gradient dL/dG with respect to each whole-image Gram matrix follow. Pass 2 runs each crop again with a graph and
/// back-propagates the surrogate Σ_layers ⟨dL/dG, G_core⟩ + content over the core, whose gradient with respect to the
/// crop's pixels is exactly this tile's share of ∇f; the crop's whole gradient (halo included) is added into the image's.
/// Total variation is summed over the cores too (each position reads one neighbour, inside the halo), so nothing
/// image-sized is built besides the image, its gradient and their product. Loss and gradient equal the untiled ones up
/// to floating-point summation order, so L-BFGS and its line search need nothing else.
/// </summary>
/// <remarks>
/// Departure from tiling as other tools do it (per-tile Gram matrices, random tile shifts): the style term is the
/// paper's, over the whole image. Only objectives made of <see cref="ContentLoss"/>, <see cref="StyleLoss"/> and
/// <see cref="TotalVariation"/> decompose this way (<see cref="Supports"/>).
/// </remarks>
public sealed class TiledObjective
{
    private readonly StyleTransferObjective _objective;
    private readonly string[] _taps;
    private readonly Dictionary<string, ReceptiveField> _fields;
    private readonly int _tileSize;

    /// <summary>Evaluates <paramref name="objective"/> in tiles with cores of about <paramref name="tileSize"/> pixels.</summary>
    /// <exception cref="NotebookStyleException">The objective has a term that does not decompose over positions.</exception>
    public TiledObjective(StyleTransferObjective objective, int tileSize)
    {
        if (!Supports(objective))
            throw new NotebookStyleException("This objective has terms that cannot be evaluated in tiles (only content, style and total variation can).");
        _objective = objective;
        _tileSize = tileSize;
        _taps = [.. objective.Losses.Where(l => l.Layer is not null).Select(l => l.Layer!).Distinct()];
        _fields = _taps.ToDictionary(t => t, objective.Network.ReceptiveFieldOf, StringComparer.Ordinal);
    }

    /// <summary>Whether every term of <paramref name="objective"/> decomposes over tiles and its network describes its geometry.</summary>
    public static bool Supports(StyleTransferObjective objective)
    {
        if (!objective.Losses.All(l => l is ContentLoss or StyleLoss or TotalVariation)) return false;
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
        var sums = FirstPass(image.detach(), grid);
        using var ownedSums = sums;
        return Terms(image.detach(), sums, gradients: false).Terms;
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
        var (terms, gramGradients) = Terms(pixels, sums, gradients: true);
        if (!double.IsFinite(terms.Total)) return (terms.Total, terms);

        using var gradient = zeros_like(pixels);
        SecondPass(pixels, grid, gramGradients, gradient);
        // The tiles' gradient handed to autograd: d/dx Σ x·g = g exactly, so image.grad receives g as the untiled
        // backward() would give.
        using (var surrogate = image.mul(gradient).sum()) surrogate.backward();
        return (terms.Total, terms);
    }

    /// <summary>Whole-image Gram matrices and positions per style layer, and the content terms summed over cores.</summary>
    private sealed class FirstPassSums : IDisposable
    {
        public Dictionary<string, Tensor> Grams { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Positions { get; } = new(StringComparer.Ordinal);
        public double Content { get; set; }
        public double Tv { get; set; }

        public void Dispose()
        {
            foreach (var gram in Grams.Values) gram.Dispose();
        }
    }

    private FirstPassSums FirstPass(Tensor pixels, TileGrid grid)
    {
        var sums = new FirstPassSums();
        var styleLayers = _objective.Losses.OfType<StyleLoss>().Select(l => l.Layer).Distinct().ToList();
        for (int i = 0; i < grid.Tiles.Count; i++)
        {
            OnTile?.Invoke(i + 1, grid.Tiles.Count, 1);
            var tile = grid.Tiles[i];
            using var scope = NewDisposeScope();
            var crop = tile.Crop(pixels);
            var features = _objective.Network.ExtractRgb(crop, _taps);
            foreach (var layer in styleLayers)
            {
                var core = tile.Core(features[layer], _fields[layer].Stride, grid, out _, out _);
                if (core is null) continue;
                long m = core.shape[2] * core.shape[3];
                var f = GramMatrix.Flatten(core);
                var gram = f.matmul(f.t());
                if (sums.Grams.TryGetValue(layer, out var total)) total.add_(gram);
                else sums.Grams[layer] = gram.DetachFromDisposeScope();
                sums.Positions[layer] = sums.Positions.GetValueOrDefault(layer) + m;
            }
            foreach (var content in _objective.Losses.OfType<ContentLoss>())
            {
                var core = tile.Core(features[content.Layer], _fields[content.Layer].Stride, grid, out long y, out long x);
                if (core is not null) sums.Content += content.ComputeAt(core, y, x).ToDouble();
            }
            foreach (var tv in _objective.Losses.OfType<TotalVariation>()) sums.Tv += TvAt(tv, crop, tile, grid).ToDouble();
        }
        return sums;
    }

    /// <summary>The terms from the first pass's sums; with <paramref name="gradients"/>, dL/dG per style layer.</summary>
    private (LossTerms Terms, Dictionary<string, Tensor> GramGradients) Terms(Tensor pixels, FirstPassSums sums, bool gradients)
    {
        double style = 0;
        var gramGradients = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var loss in _objective.Losses.OfType<StyleLoss>())
        {
            using var leaf = sums.Grams[loss.Layer].detach().clone().requires_grad_(gradients);
            using var value = loss.FromGram(leaf, sums.Positions[loss.Layer]);
            style += value.ToDouble();
            if (!gradients) continue;
            value.backward();
            var g = leaf.grad!.detach().clone();
            gramGradients[loss.Layer] = gramGradients.TryGetValue(loss.Layer, out var sum) ? sum.add(g) : g;
        }
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (_objective.Losses.OfType<ContentLoss>().Any()) values["content"] = sums.Content;
        if (_objective.Losses.OfType<StyleLoss>().Any()) values["style"] = style;
        if (_objective.Losses.OfType<TotalVariation>().Any()) values["tv"] = sums.Tv;
        return (new LossTerms(values, values.Values.Sum()), gramGradients);
    }

    private void SecondPass(Tensor pixels, TileGrid grid, Dictionary<string, Tensor> gramGradients, Tensor gradient)
    {
        var contents = _objective.Losses.OfType<ContentLoss>().ToList();
        var tvs = _objective.Losses.OfType<TotalVariation>().ToList();
        for (int i = 0; i < grid.Tiles.Count; i++)
        {
            OnTile?.Invoke(i + 1, grid.Tiles.Count, 2);
            var tile = grid.Tiles[i];
            using var scope = NewDisposeScope();
            var crop = tile.Crop(pixels).clone().requires_grad_(true);
            var features = _objective.Network.ExtractRgb(crop, _taps);
            Tensor? surrogate = null;
            foreach (var (layer, dG) in gramGradients)
            {
                var core = tile.Core(features[layer], _fields[layer].Stride, grid, out _, out _);
                if (core is null) continue;
                var f = GramMatrix.Flatten(core);
                // ⟨dL/dG, F·Fᵀ⟩: its gradient is this core's share of dL/dG · dG/dF.
                var term = f.matmul(f.t()).mul(dG).sum();
                surrogate = surrogate is null ? term : surrogate.add(term);
            }
            foreach (var content in contents)
            {
                var core = tile.Core(features[content.Layer], _fields[content.Layer].Stride, grid, out long y, out long x);
                if (core is null) continue;
                var term = content.ComputeAt(core, y, x);
                surrogate = surrogate is null ? term : surrogate.add(term);
            }
            foreach (var tv in tvs)
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

    /// <summary>The total variation at a tile's core positions: rows and columns that have both neighbours in the image.</summary>
    private static Tensor TvAt(TotalVariation tv, Tensor crop, ImageTile tile, TileGrid grid) =>
        tv.ComputeAt(crop, tile.Top - tile.CropTop, Math.Min(tile.Bottom, grid.Height - 1) - tile.CropTop,
            tile.Left - tile.CropLeft, Math.Min(tile.Right, grid.Width - 1) - tile.CropLeft);
}
