using TorchSharp;
using NotebookStyle.Models;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>The value of each term at one point, and their sum.</summary>
/// <param name="Terms">content, style and tv (weighted), as doubles.</param>
/// <param name="Total">Their sum.</param>
public sealed record LossTerms(IReadOnlyDictionary<string, double> Terms, double Total)
{
    /// <summary>Looks up one term (0 when absent).</summary>
    public double this[string term] => Terms.TryGetValue(term, out var v) ? v : 0.0;
}

/// <summary>
/// The whole Gatys objective for one content image and its styles (one image, a blend, regions): the content and style
/// targets are computed once, here; <see cref="Evaluate"/> runs the network once per call (the Keras example pushed all three
/// images through the network at every step).
/// </summary>
public sealed class StyleTransferObjective : IDisposable
{
    private readonly List<Loss> _losses;
    private readonly string[] _taps;
    private readonly IDisposable _prepared;

    /// <summary>The network.</summary>
    public FeatureExtractor Network { get; }

    /// <summary>The losses, one per layer and term.</summary>
    public IReadOnlyList<Loss> Losses => _losses;

    private StyleTransferObjective(FeatureExtractor network, List<Loss> losses, IDisposable prepared)
    {
        Network = network;
        _losses = losses;
        _prepared = prepared;
        _taps = losses.Where(l => l.Layer is not null).Select(l => l.Layer!).Distinct().ToArray();
    }

    /// <summary>
    /// Builds the objective for one style image: each layer with a content weight gets a <see cref="ContentLoss"/> (weight =
    /// contentWeight · layer weight), each with a style weight a <see cref="StyleLoss"/> (styleWeight · layer weight /
    /// Σ layer style weights, so the style weight does not grow with the number of layers), plus
    /// <see cref="TotalVariation"/> when tvWeight &gt; 0. Images are RGB [0, 1] on the network's device.
    /// </summary>
    public static StyleTransferObjective Create(FeatureExtractor network, Tensor content, Tensor style,
        IReadOnlyList<LayerWeights> layers, LossNormalization normalization,
        double contentWeight, double styleWeight, double tvWeight, double tvPower = 1.25) =>
        Create(network, content, [new StyleRegion(null, [new WeightedStyle(style, 1.0)])],
            new ObjectiveSettings(layers, normalization, contentWeight, styleWeight, tvWeight, tvPower));

    /// <summary>
    /// Builds the objective with styles per region: as the one-style overload, each region (<see cref="StyleRegion"/>) gets
    /// one style term per layer (<see cref="StyleLoss"/> or <see cref="WassersteinStyleLoss"/>) holding the targets of all
    /// its styles (a blend: weights normalised, styles of weight 0 get none) and its mask (a region: the term reads the
    /// sums over the region only, normalised by its own size, and is weighted as a whole-image term, so every region gets
    /// its full share of the gradient whatever its size). Pixels that no region covers keep the photo (content and TV
    /// terms only). Targets are computed once, here.
    /// </summary>
    /// <param name="network">The feature extractor.</param>
    /// <param name="content">The content image (RGB [0, 1] on the network's device).</param>
    /// <param name="regions">The regions and their styles (RGB [0, 1] on the network's device).</param>
    /// <param name="settings">Layers, normalisation, weights and the style term's kind.</param>
    /// <param name="targetTileSize">
    /// Compute the targets in tiles of about this many pixels (<see cref="TiledTargets"/>; poster sizes): the content's
    /// feature maps and every style's sums over positions. Null: whole images.
    /// </param>
    /// <exception cref="NotebookStyleException">No region, invalid blend weights in a region, or an empty objective.</exception>
    public static StyleTransferObjective Create(FeatureExtractor network, Tensor content, IReadOnlyList<StyleRegion> regions,
        ObjectiveSettings settings, int? targetTileSize = null)
    {
        var (layers, normalization) = (settings.Layers, settings.Normalization);
        foreach (var layer in layers) network.Resolve(layer.Layer);
        if (regions.Count == 0) throw new NotebookStyleException("Give at least one style region.");
        double styleSum = layers.Sum(l => l.StyleWeight);
        bool moments = settings.StyleLoss == StyleLossKind.Wasserstein;
        var losses = new List<Loss>();
        // Targets and every evaluation use the same, prepared network (the ResNet folds its batch norms), for the objective's life.
        var prepared = network.PrepareForEvaluation();
        try
        {
            using (no_grad())
            using (NewDisposeScope())
            {
                var contentLayers = layers.Where(l => l.ContentWeight != 0).ToList();
                var styleLayers = layers.Where(l => l.StyleWeight != 0).ToList();
                var contentFeatures = targetTileSize is int contentTile
                    ? TiledTargets.FeatureMaps(network, content, [.. contentLayers.Select(l => l.Layer).Distinct()], contentTile)
                    : network.ExtractRgb(content, contentLayers.Select(l => l.Layer));
                foreach (var layer in contentLayers)
                    losses.Add(new ContentLoss(layer.Layer, contentFeatures[layer.Layer], normalization) { Weight = settings.ContentWeight * layer.ContentWeight });
                foreach (var region in regions)
                {
                    var regionLayers = RegionLayers(network, region, styleLayers);
                    var blend = WeightedStyle.Normalize(region.Styles);
                    string[] taps = [.. regionLayers.Select(l => l.Layer).Distinct()];
                    // Each style's sums over positions at the region's layers: whole, or added up over tiles (poster sizes).
                    var styles = region.Styles.Select((s, i) => (Sums: blend[i] > 0 ? StyleSums(network, s.Image, taps, moments, targetTileSize) : null, Weight: blend[i]))
                        .Where(s => s.Sums is not null).ToList();
                    foreach (var layer in regionLayers)
                    {
                        List<(PositionSums, double)> targets = [.. styles.Select(s => (s.Sums![layer.Layer], s.Weight))];
                        double weight = settings.StyleWeight * layer.StyleWeight / styleSum;
                        losses.Add(moments
                            ? new WassersteinStyleLoss(layer.Layer, targets, normalization, region.Mask) { Weight = weight }
                            : new StyleLoss(layer.Layer, targets, normalization, region.Mask) { Weight = weight });
                    }
                }
            }
        }
        catch
        {
            foreach (var loss in losses) loss.Dispose();
            prepared.Dispose();
            throw;
        }
        if (settings.TvWeight > 0) losses.Add(new TotalVariation(settings.TvPower) { Weight = settings.TvWeight });
        if (losses.Count == 0)
        {
            prepared.Dispose();
            throw new NotebookStyleException("The objective is empty: give at least one layer a style or content weight.");
        }
        return new StyleTransferObjective(network, losses, prepared);
    }

    /// <summary>A style image's unmasked sums over positions at <paramref name="taps"/> (in the caller's dispose scope).</summary>
    private static Dictionary<string, PositionSums> StyleSums(FeatureExtractor network, Tensor style, string[] taps, bool moments, int? tileSize)
    {
        if (tileSize is int tile) return TiledTargets.Sums(network, style, taps, tile, moments);
        var features = network.ExtractRgb(style, taps);
        return taps.ToDictionary(t => t, t => PositionSums.Of(features[t], moments), StringComparer.Ordinal);
    }

    /// <summary>The style layers a region applies at (all when it names none), in the run's order.</summary>
    private static List<LayerWeights> RegionLayers(FeatureExtractor network, StyleRegion region, List<LayerWeights> styleLayers)
    {
        if (region.Layers is null) return styleLayers;
        var wanted = region.Layers.Select(network.Resolve).ToHashSet(StringComparer.Ordinal);
        var chosen = styleLayers.Where(l => wanted.Contains(network.Resolve(l.Layer))).ToList();
        var known = styleLayers.Select(l => network.Resolve(l.Layer)).ToHashSet(StringComparer.Ordinal);
        var unknown = region.Layers.Where(l => !known.Contains(network.Resolve(l))).ToList();
        if (unknown.Count > 0)
            throw new NotebookStyleException($"A style region names {string.Join(", ", unknown)}, which has no style weight; the style layers are {string.Join(", ", styleLayers.Select(l => l.Layer))}.");
        return chosen;
    }

    /// <summary>
    /// The total loss at <paramref name="image"/> (RGB [0, 1]) as a scalar tensor that can be back-propagated,
    /// and each term's value. The caller owns the returned tensor; intermediate tensors are disposed.
    /// </summary>
    public (Tensor Total, LossTerms Terms) Evaluate(Tensor image)
    {
        using var scope = NewDisposeScope();
        var features = Network.ExtractRgb(image, _taps);
        Tensor total = zeros(1, dtype: image.dtype, device: image.device).squeeze();
        var sums = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        // Each layer's statistic once per evaluation, however many style terms read it.
        var statistics = new Dictionary<LayerStatistic, PositionSums>();
        foreach (var loss in _losses)
        {
            var value = loss is StyleTerm term ? term.FromSums(SumsOf(term.Statistic, features, statistics)).to_type(image.dtype) : loss.Compute(image, features);
            total = total.add(value);
            sums[loss.Term] = sums.TryGetValue(loss.Term, out var sum) ? sum.add(value) : value;
        }
        var values = sums.ToDictionary(kv => kv.Key, kv => kv.Value.ToDouble(), StringComparer.Ordinal);
        return (total.MoveToOuterDisposeScope(), new LossTerms(values, values.Values.Sum()));
    }

    private static PositionSums SumsOf(LayerStatistic statistic, IReadOnlyDictionary<string, Tensor> features, Dictionary<LayerStatistic, PositionSums> statistics)
    {
        if (statistics.TryGetValue(statistic, out var sums)) return sums;
        var f = features[statistic.Layer];
        return statistics[statistic] = PositionSums.Of(f, statistic, f.shape[^2], f.shape[^1], 0, 0);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var loss in _losses) loss.Dispose();
        _prepared.Dispose();
    }
}
