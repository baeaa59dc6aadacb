using System.CommandLine;
using System.Globalization;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Cli;

/// <summary>
/// The options for control over the result: more styles and their blend weights, the style loss, and styles per region
/// (a colour-coded region map and which style each colour takes).
/// </summary>
internal sealed class ControlOptions
{
    public Option<FileInfo[]> AddStyle { get; } = new("--add-style") { Description = "Another style image to blend in (repeat for more); styles are numbered 0 (--style), 1, 2… in order." };
    public Option<string?> BlendWeights { get; } = new("--style-blend-weights") { Description = "Comma-separated blend weights, one per style (--style first), e.g. 3,7; normalised to sum 1 (default: equal)." };
    public Option<string> StyleLoss { get; } = new("--style-loss") { Description = "gram (the paper's) or wasserstein (match the features' mean and covariance).", DefaultValueFactory = _ => "gram" };
    public Option<FileInfo?> RegionMap { get; } = new("--region-map") { Description = "A PNG of flat colours marking regions (any size; resized to the content)." };
    public Option<string?> RegionStyles { get; } = new("--region-styles") { Description = "Which style each region-map colour takes: rrggbb=INDEX or rrggbb=none, comma-separated; colours not named keep the photo." };
    public Option<string?> ScaleStyles { get; } = new("--scale-styles") { Description = "Scale control: which style each group of style layers takes, INDEX:LAYER+LAYER, comma-separated, e.g. 0:relu1_1+relu2_1,1:relu3_1+relu4_1+relu5_1 (fine texture of style 0, coarse structure of style 1)." };
    public Option<double> RegionBlur { get; } = new("--region-blur") { Description = "Softness of region borders: the blur's σ as a fraction of the long side.", DefaultValueFactory = _ => 0.02 };

    public ControlOptions()
    {
        StyleLoss.AcceptOnlyFromAmong("gram", "wasserstein");
        RegionBlur.Validators.Add(r =>
        {
            if (r.Errors.Any()) return;
            if (r.GetValueOrDefault<double>() is not (>= 0 and <= 0.25)) r.AddError("--region-blur must be in [0, 0.25].");
        });
    }

    /// <summary>Every option, to add to the root command.</summary>
    public IEnumerable<Option> All => [AddStyle, BlendWeights, StyleLoss, RegionMap, RegionStyles, RegionBlur, ScaleStyles];

    /// <summary>The chosen style loss.</summary>
    public StyleLossKind Loss(ParseResult p) => p.GetValue(StyleLoss) == "wasserstein" ? StyleLossKind.Wasserstein : StyleLossKind.Gram;

    /// <summary>The extra style files (may be empty).</summary>
    public IReadOnlyList<string> ExtraStyles(ParseResult p) => [.. (p.GetValue(AddStyle) ?? []).Select(f => f.FullName)];

    /// <summary>The blend weights for <paramref name="count"/> styles (equal when not given).</summary>
    /// <exception cref="NotebookStyleException">Not a number, or not one per style.</exception>
    public static double[] ParseWeights(string? text, int count)
    {
        if (string.IsNullOrWhiteSpace(text)) return [.. Enumerable.Repeat(1.0, count)];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != count)
            throw new NotebookStyleException($"--style-blend-weights has {parts.Length} weights for {count} styles; give one per style.");
        return [.. parts.Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
            ? w : throw new NotebookStyleException($"--style-blend-weights: '{part}' is not a number."))];
    }

    /// <summary>
    /// The regions for the driver: without a region map, one region (the whole image) with every style blended by the
    /// weights; with one, a region per colour named in --region-styles with its style (none: no region, the photo stays).
    /// The caller disposes the returned masks.
    /// </summary>
    /// <exception cref="NotebookStyleException">A malformed --region-styles, a colour the map lacks, or a style index out of range.</exception>
    public IReadOnlyList<StyleRegion> Regions(ParseResult p, IReadOnlyList<Tensor> styles, Tensor content)
    {
        var weights = ParseWeights(p.GetValue(BlendWeights), styles.Count);
        var blend = styles.Select((s, i) => new WeightedStyle(s, weights[i])).ToList();
        if (p.GetValue(ScaleStyles) is { } scaleStyles)
        {
            if (p.GetValue(RegionMap) is not null) throw new NotebookStyleException("--scale-styles and --region-map cannot be combined yet.");
            return ScaleRegions(scaleStyles, blend);
        }
        if (p.GetValue(RegionMap) is not { } mapFile)
        {
            if (p.GetValue(RegionStyles) is not null) throw new NotebookStyleException("--region-styles needs --region-map.");
            return [new StyleRegion(null, blend)];
        }
        var assignments = p.GetValue(RegionStyles) ?? throw new NotebookStyleException("--region-map needs --region-styles (e.g. ff0000=0,00ff00=none).");
        using var map = Imaging.RegionMap.Load(mapFile.FullName, content.shape[2], content.shape[3], p.GetValue(RegionBlur));
        var regions = new List<StyleRegion>();
        foreach (var entry in assignments.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = entry.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2) throw new NotebookStyleException($"--region-styles: '{entry}' is not rrggbb=INDEX or rrggbb=none.");
            var mask = map.Mask(pair[0]);
            if (pair[1].Equals("none", StringComparison.OrdinalIgnoreCase)) { mask.Dispose(); continue; }
            if (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= styles.Count)
            {
                mask.Dispose();
                throw new NotebookStyleException($"--region-styles: '{pair[1]}' is not a style index (0 to {styles.Count - 1}) or none.");
            }
            regions.Add(new StyleRegion(mask.clone(), [blend[index] with { Weight = 1 }]));
            mask.Dispose();
        }
        if (regions.Count == 0) throw new NotebookStyleException("--region-styles gives no region a style.");
        return regions;
    }

    /// <summary>One whole-image region per INDEX:LAYER+LAYER entry of --scale-styles: style INDEX at those layers.</summary>
    private static List<StyleRegion> ScaleRegions(string text, IReadOnlyList<WeightedStyle> styles)
    {
        var regions = new List<StyleRegion>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = entry.Split(':', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= styles.Count)
                throw new NotebookStyleException($"--scale-styles: '{entry}' is not INDEX:LAYER+LAYER with a style index from 0 to {styles.Count - 1}.");
            var layers = pair[1].Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (layers.Length == 0) throw new NotebookStyleException($"--scale-styles: '{entry}' names no layer.");
            regions.Add(new StyleRegion(null, [styles[index] with { Weight = 1 }], layers));
        }
        if (regions.Count == 0) throw new NotebookStyleException("--scale-styles gives no style a layer.");
        return regions;
    }
}
