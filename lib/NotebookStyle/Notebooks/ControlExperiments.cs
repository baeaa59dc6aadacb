using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>A painting and the name its labels and figures use (e.g. its catalogue id).</summary>
/// <param name="Name">E.g. <c>starry_night</c>.</param>
/// <param name="Image">RGB [0, 1] [1, 3, H, W].</param>
public sealed record Painting(string Name, Tensor Image);

/// <summary>One region of a region map and the painting it takes.</summary>
/// <param name="Name">E.g. <c>table</c>.</param>
/// <param name="Mask">Its soft mask, [1, 1, H, W] (e.g. <see cref="RegionMap.Mask"/>).</param>
/// <param name="Painting">Its painting; null: the region keeps the photo.</param>
public sealed record PaintedRegion(string Name, Tensor Mask, Painting? Painting);

/// <summary>
/// The experiments of lesson 06, control over the result: blends of two paintings, paintings per region, fine texture
/// of one painting with the coarse structure of another, and the Gram against the Wasserstein style loss. Each variant
/// carries its own styles (run them with <see cref="Experiments.Run(ExperimentSet, FeatureExtractor, Tensor, Action{string}?)"/>)
/// and prints figures that say what it did: the colour ratio to each painting (0 = that painting's palette, 1 = the
/// photo's), per region where there are regions, and the SSIM to the photo.
/// </summary>
public static class ControlExperiments
{
    /// <summary>The group of the whole-image colour ratios.</summary>
    public const string ColourRatio = "colour ratio";

    /// <summary>
    /// Blends of <paramref name="a"/> and <paramref name="b"/> (neural-style's <c>-style_blend_weights</c>): one run per
    /// weight w of A, B taking 1 − w; default 1, 0.75, 0.5, 0.25, 0 (the ends are exactly the single-painting runs).
    /// Each result's colour ratio to A and to B is printed.
    /// </summary>
    /// <exception cref="NotebookStyleException">A weight outside [0, 1].</exception>
    public static ExperimentSet Blends(Painting a, Painting b, StyleTransferSettings baseline, params double[] weightsOfA)
    {
        if (weightsOfA.Length == 0) weightsOfA = [1, 0.75, 0.5, 0.25, 0];
        foreach (double w in weightsOfA)
            if (!(w >= 0 && w <= 1)) throw new NotebookStyleException($"A blend weight of {a.Name} must be in [0, 1], got {w}.");
        return new($"Blend {a.Name} : {b.Name}", weightsOfA.Select(w => new Experiment($"{Labels.Number(w)} : {Labels.Number(1 - w)}", baseline)
        {
            Styles = [new WeightedStyle(a.Image, w), new WeightedStyle(b.Image, 1 - w)],
            Figures = (result, content) => ColourFigures(result, content, [a, b]),
        }).ToList(), []);
    }

    /// <summary>
    /// Paintings per region (Gatys et al. 2017, spatial control): the regions as given, then — when at least two regions
    /// take different paintings — with those paintings moved on by one region (for two: swapped). A region without a
    /// painting keeps the photo in both. Per region, the colour ratio of its pixels to every painting and their SSIM to
    /// the photo are printed.
    /// </summary>
    /// <exception cref="NotebookStyleException">No region takes a painting.</exception>
    public static ExperimentSet Regions(IReadOnlyList<PaintedRegion> regions, StyleTransferSettings baseline)
    {
        var painted = regions.Where(r => r.Painting is not null).ToList();
        if (painted.Count == 0) throw new NotebookStyleException("Give at least one region a painting.");
        var paintings = painted.Select(r => r.Painting!).DistinctBy(p => p.Name).ToList();
        Experiment Variant(IReadOnlyList<PaintedRegion> assignment) =>
            new(string.Join(", ", assignment.Select(r => r.Painting?.Name ?? "photo")), baseline)
            {
                Regions = [.. assignment.Where(r => r.Painting is not null)
                    .Select(r => new StyleRegion(r.Mask, [new WeightedStyle(r.Painting!.Image, 1)]))],
                Figures = (result, content) => RegionFigures(result, content, assignment, paintings),
            };
        var variants = new List<Experiment> { Variant(regions) };
        if (paintings.Count > 1)
        {
            // Each painted region takes the painting of the next painted region.
            var moved = painted.Select((r, i) => painted[(i + 1) % painted.Count].Painting).ToList();
            int k = 0;
            variants.Add(Variant([.. regions.Select(r => r.Painting is null ? r : r with { Painting = moved[k++] })]));
        }
        return new($"Regions: {string.Join(", ", regions.Select(r => r.Name))}", variants, []);
    }

    /// <summary>
    /// The style layers of <paramref name="baseline"/> (the network's defaults when it names none), ordered by depth and
    /// split into the shallower half (fine texture: small receptive fields) and the rest (coarse structure).
    /// </summary>
    /// <exception cref="NotebookStyleException">Fewer than two style layers.</exception>
    public static (IReadOnlyList<string> Fine, IReadOnlyList<string> Coarse) StyleLayerGroups(FeatureExtractor network, StyleTransferSettings baseline)
    {
        var layers = baseline.Layers ?? network.DefaultsFor(baseline.Preset).Layers;
        var style = layers.Where(l => l.StyleWeight != 0).Select(l => l.Layer).OrderBy(network.IndexOf).ToList();
        if (style.Count < 2) throw new NotebookStyleException($"Scale control needs at least two style layers; the settings have {style.Count}.");
        int fine = style.Count / 2;
        return (style.Take(fine).ToList(), style.Skip(fine).ToList());
    }

    /// <summary>
    /// Scale control (Gatys et al. 2017): the fine texture of <paramref name="a"/> (the shallow style layers) with the
    /// coarse structure of <paramref name="b"/> (the deep ones), and the reverse (<see cref="StyleLayerGroups"/>). Each
    /// result's colour ratio to A and to B is printed.
    /// </summary>
    public static ExperimentSet Scales(FeatureExtractor network, Painting a, Painting b, StyleTransferSettings baseline)
    {
        var (fine, coarse) = StyleLayerGroups(network, baseline);
        Experiment Variant(Painting f, Painting c) => new($"fine {f.Name}, coarse {c.Name}", baseline)
        {
            Regions = [new StyleRegion(null, [new WeightedStyle(f.Image, 1)], fine), new StyleRegion(null, [new WeightedStyle(c.Image, 1)], coarse)],
            Figures = (result, content) => ColourFigures(result, content, [a, b]),
        };
        return new($"Scale: fine = {string.Join("+", fine)}, coarse = {string.Join("+", coarse)}", [Variant(a, b), Variant(b, a)], []);
    }

    /// <summary>
    /// The Gram style loss (Gatys') against the Wasserstein-2 distance between the features' Gaussian fits
    /// (crowsonkb/style-transfer-pytorch), same settings otherwise. The colour ratio to the painting is printed.
    /// </summary>
    public static ExperimentSet StyleLosses(Painting painting, StyleTransferSettings baseline) =>
        new("Style loss", [
            new("Gram", baseline with { StyleLoss = StyleLossKind.Gram })
            {
                Styles = [new WeightedStyle(painting.Image, 1)],
                Figures = (result, content) => ColourFigures(result, content, [painting]),
            },
            new("Wasserstein", baseline with { StyleLoss = StyleLossKind.Wasserstein })
            {
                Styles = [new WeightedStyle(painting.Image, 1)],
                Figures = (result, content) => ColourFigures(result, content, [painting]),
            },
        ], []);

    /// <summary>
    /// The photo, its region map as the losses see it (<see cref="RegionMap.Picture"/>: the soft masks in their colours,
    /// at the map's size) and the map laid over the photo (to check that the regions fit), side by side.
    /// </summary>
    public static Image<Rgb24> MapSheet(Tensor photo, RegionMap map, int height = 256, string? title = null)
    {
        using var scope = NewDisposeScope();
        var picture = map.Picture();
        var under = nn.functional.interpolate(photo.detach().to(picture.device), [picture.shape[2], picture.shape[3]],
            mode: InterpolationMode.Bilinear, align_corners: false);
        var overlay = under.mul(0.6).add(picture.mul(0.4)).clamp(0, 1);
        string legend = string.Join(", ", map.Colours.Select(map.Describe));
        return ImageSheet.Row([("photo", photo), ("region map", picture), ("map over photo", overlay)], height, title ?? legend);
    }

    /// <summary>The colour ratio of the whole result to each painting (group <see cref="ColourRatio"/>, names "to NAME").</summary>
    public static IReadOnlyList<ExperimentFigure> ColourFigures(Tensor result, Tensor content, IEnumerable<Painting> paintings) =>
        paintings.Select(p => new ExperimentFigure(ColourRatio, $"to {p.Name}", SlicedWasserstein.ColorRatio(result, content, p.Image))).ToList();

    /// <summary>
    /// Per region (group: the region's name): the colour ratio of its pixels to each painting ("to NAME") and the SSIM of
    /// its luminance to the photo's ("SSIM").
    /// </summary>
    public static IReadOnlyList<ExperimentFigure> RegionFigures(Tensor result, Tensor content, IEnumerable<PaintedRegion> regions, IReadOnlyList<Painting> paintings)
    {
        var figures = new List<ExperimentFigure>();
        foreach (var r in regions)
        {
            string group = r.Painting is null ? $"{r.Name} (photo)" : $"{r.Name} ({r.Painting.Name})";
            figures.AddRange(paintings.Select(p => new ExperimentFigure(group, $"to {p.Name}", RegionColor.ColorRatio(result, content, p.Image, r.Mask))));
            figures.Add(new ExperimentFigure(group, "SSIM", RegionSsim.Luminance(result, content, r.Mask)));
        }
        return figures;
    }
}
