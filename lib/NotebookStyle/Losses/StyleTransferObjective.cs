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
/// The whole Gatys objective for one content image and one style image or a blend of several: the content and style targets are
/// computed once, here; <see cref="Evaluate"/> runs the network once per call (the Keras example pushed all three
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
    /// Builds the objective: each layer with a content weight gets a <see cref="ContentLoss"/> (weight =
    /// contentWeight · layer weight), each with a style weight a <see cref="StyleLoss"/> (styleWeight · layer weight /
    /// Σ layer style weights, so the style weight does not grow with the number of layers), plus
    /// <see cref="TotalVariation"/> when tvWeight &gt; 0. Images are RGB [0, 1] on the network's device.
    /// </summary>
    public static StyleTransferObjective Create(FeatureExtractor network, Tensor content, Tensor style,
        IReadOnlyList<LayerWeights> layers, LossNormalization normalization,
        double contentWeight, double styleWeight, double tvWeight, double tvPower = 1.25) =>
        Create(network, content, [new WeightedStyle(style, 1.0)], layers, normalization, contentWeight, styleWeight, tvWeight, tvPower);

    /// <summary>
    /// Builds the objective for a blend of styles: as the single-style overload, the style term being the sum over styles
    /// of each style's term times its normalised blend weight (weights / Σ weights); each style's targets are computed
    /// once, here, and styles of weight 0 get none. <paramref name="styleLoss"/> chooses Gram matrices
    /// (<see cref="StyleLoss"/>; a blend is one loss per layer holding every style's target, so the image's Gram matrix is
    /// computed once per evaluation) or the Wasserstein-2 distance (<see cref="WassersteinStyleLoss"/>, one loss per style
    /// and layer).
    /// </summary>
    /// <exception cref="NotebookStyleException">No style, a negative weight, all weights 0, or an empty objective.</exception>
    public static StyleTransferObjective Create(FeatureExtractor network, Tensor content, IReadOnlyList<WeightedStyle> styles,
        IReadOnlyList<LayerWeights> layers, LossNormalization normalization,
        double contentWeight, double styleWeight, double tvWeight, double tvPower = 1.25, StyleLossKind styleLoss = StyleLossKind.Gram) =>
        Create(network, content, [new StyleRegion(null, styles)], layers, normalization, contentWeight, styleWeight, tvWeight, tvPower, styleLoss);

    /// <summary>
    /// Builds the objective with styles per region: as the blend overload, each region (<see cref="StyleRegion"/>) with a
    /// mask gets its own style losses computed over the region only (<see cref="RegionStyleLoss"/>, or
    /// <see cref="WassersteinStyleLoss"/> with the mask), each normalised by the region's own size and weighted as a
    /// whole-image style term, so every region gets its full share of the gradient whatever its size. Pixels that no
    /// region covers keep the photo (content and TV terms only). Regions of weight-0 styles get no losses.
    /// </summary>
    /// <param name="network">The feature extractor.</param>
    /// <param name="content">The content image (RGB [0, 1] on the network's device).</param>
    /// <param name="regions">The regions and their styles (RGB [0, 1] on the network's device).</param>
    /// <param name="layers">Layers and their style and content weights.</param>
    /// <param name="normalization">How each term is scaled.</param>
    /// <param name="contentWeight">Weight of the content term.</param>
    /// <param name="styleWeight">Weight of the style term.</param>
    /// <param name="tvWeight">Weight of the total variation (0: none).</param>
    /// <param name="tvPower">Exponent of the total variation.</param>
    /// <param name="styleLoss">Gram matrices or the Wasserstein-2 distance.</param>
    /// <param name="targetTileSize">
    /// Compute the targets in tiles of about this many pixels (<see cref="TiledTargets"/>; poster sizes): the content's
    /// feature maps and the Gram matrices of whole-image styles. Masked regions and the Wasserstein loss read the whole
    /// style image. Null: whole images.
    /// </param>
    /// <exception cref="NotebookStyleException">No region, invalid blend weights in a region, or an empty objective.</exception>
    public static StyleTransferObjective Create(FeatureExtractor network, Tensor content, IReadOnlyList<StyleRegion> regions,
        IReadOnlyList<LayerWeights> layers, LossNormalization normalization,
        double contentWeight, double styleWeight, double tvWeight, double tvPower = 1.25, StyleLossKind styleLoss = StyleLossKind.Gram,
        int? targetTileSize = null)
    {
        foreach (var layer in layers) network.Resolve(layer.Layer);
        if (regions.Count == 0) throw new NotebookStyleException("Give at least one style region.");
        double styleSum = layers.Sum(l => l.StyleWeight);
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
                    losses.Add(new ContentLoss(layer.Layer, contentFeatures[layer.Layer], normalization) { Weight = contentWeight * layer.ContentWeight });
                foreach (var region in regions)
                {
                    var regionLayers = RegionLayers(network, region, styleLayers);
                    var styles = region.Styles;
                    var blend = WeightedStyle.Normalize(styles);
                    var used = Enumerable.Range(0, styles.Count).Where(i => blend[i] > 0).ToList();
                    if (targetTileSize is int styleTile && region.Mask is null && styleLoss == StyleLossKind.Gram)
                    {
                        // Poster sizes: each style's Gram matrices summed over tiles; one loss per style and layer.
                        foreach (int i in used)
                        {
                            var grams = TiledTargets.Grams(network, styles[i].Image, [.. regionLayers.Select(l => l.Layer).Distinct()], styleTile);
                            foreach (var layer in regionLayers)
                                losses.Add(StyleLoss.FromStyleGram(layer.Layer, grams[layer.Layer].Gram, grams[layer.Layer].Positions, normalization,
                                    styleWeight * layer.StyleWeight / styleSum * blend[i]));
                            foreach (var (gram, _) in grams.Values) gram.Dispose();
                        }
                        continue;
                    }
                    var features = used.Select(i => network.ExtractRgb(styles[i].Image, regionLayers.Select(l => l.Layer))).ToList();
                    foreach (var layer in regionLayers)
                    {
                        double weight = styleWeight * layer.StyleWeight / styleSum;
                        if (styleLoss == StyleLossKind.Gram && used.Count > 1)
                        {
                            // A blend: one loss per layer, one Gram of the image per evaluation (value and gradient of the sum of each style's).
                            var blended = used.Select((i, k) => (features[k][layer.Layer], blend[i])).ToList();
                            losses.Add(region.Mask is null
                                ? new StyleLoss(layer.Layer, blended, normalization) { Weight = weight }
                                : new RegionStyleLoss(layer.Layer, blended, region.Mask, normalization) { Weight = weight });
                            continue;
                        }
                        for (int k = 0; k < used.Count; k++)
                            losses.Add(StyleTerm(styleLoss, layer.Layer, features[k][layer.Layer], region.Mask, normalization, weight * blend[used[k]]));
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
        if (tvWeight > 0) losses.Add(new TotalVariation(tvPower) { Weight = tvWeight });
        if (losses.Count == 0)
        {
            prepared.Dispose();
            throw new NotebookStyleException("The objective is empty: give at least one layer a style or content weight.");
        }
        return new StyleTransferObjective(network, losses, prepared);
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

    private static Loss StyleTerm(StyleLossKind kind, string layer, Tensor features, Tensor? mask, LossNormalization normalization, double weight) =>
        (kind, mask) switch
        {
            (StyleLossKind.Wasserstein, _) => new WassersteinStyleLoss(layer, features, normalization, mask) { Weight = weight },
            (_, null) => new StyleLoss(layer, features, normalization) { Weight = weight },
            _ => new RegionStyleLoss(layer, features, mask, normalization) { Weight = weight },
        };

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
        foreach (var loss in _losses)
        {
            var value = loss.Compute(image, features);
            total = total.add(value);
            sums[loss.Term] = sums.TryGetValue(loss.Term, out var sum) ? sum.add(value) : value;
        }
        var values = sums.ToDictionary(kv => kv.Key, kv => kv.Value.ToDouble(), StringComparer.Ordinal);
        return (total.MoveToOuterDisposeScope(), new LossTerms(values, values.Values.Sum()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var loss in _losses) loss.Dispose();
        _prepared.Dispose();
    }
}
