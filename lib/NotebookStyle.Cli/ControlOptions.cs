using System.CommandLine;
using System.Globalization;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Cli;

/// <summary>
/// The options for control over the result: more styles and their blend weights, the style loss (a driver setting, read
/// with the others by <see cref="CliDefinition.Request"/>), and styles per region (a colour-coded region map and which
/// style each colour takes).
/// </summary>
internal sealed class ControlOptions
{
    public Option<string[]> AddStyle { get; } = new("--add-style") { Description = "Another style image to blend in (repeat for more; - reads standard input); styles are numbered 0 (--style), 1, 2… in order." };
    public Option<string?> BlendWeights { get; } = new("--style-blend-weights") { Description = "Comma-separated blend weights, one per style (--style first), e.g. 3,7; normalised to sum 1 (default: equal)." };
    public Option<Chosen<StyleLossKind>> StyleLoss { get; } = OptionWords.StyleLoss.Option("--style-loss", "gram (the paper's) or wasserstein (match the features' mean and covariance).", StyleLossKind.Gram);
    public Option<string?> RegionMap { get; } = new("--region-map") { Description = "A PNG of flat colours marking regions (any size; resized to the content)." };
    public Option<string?> RegionStyles { get; } = new("--region-styles") { Description = "Which style each region-map colour takes: rrggbb=INDEX or rrggbb=none, comma-separated; colours not named keep the photo." };
    public Option<string?> ScaleStyles { get; } = new("--scale-styles") { Description = "Scale control: which style each group of style layers takes, INDEX:LAYER+LAYER, comma-separated, e.g. 0:relu1_1+relu2_1,1:relu3_1+relu4_1+relu5_1 (fine texture of style 0, coarse structure of style 1)." };
    public Option<double> RegionBlur { get; } = new("--region-blur") { Description = "Softness of region borders: the blur's σ as a fraction of the long side.", DefaultValueFactory = _ => 0.02 };

    public ControlOptions()
    {
        OptionParsers.Number(RegionBlur, v => v is >= 0 and <= 0.25, "a finite number in [0, 0.25]");
        OptionParsers.Paths(AddStyle);
        OptionParsers.Path(RegionMap);
    }

    /// <summary>Every option, to add to the root command.</summary>
    public IEnumerable<Option> All => [AddStyle, BlendWeights, StyleLoss, RegionMap, RegionStyles, RegionBlur, ScaleStyles];

    /// <summary>
    /// The options' values, checked against each other now, before any file is read: blend weights (one per style,
    /// finite, ≥ 0, not all 0; normalised without overflow) only for a whole-image blend, a region map with its
    /// assignments (each colour once, each index a style), a region blur only with a map.
    /// </summary>
    /// <exception cref="NotebookStyleException">A value or a combination that would be refused or ignored; the message says which.</exception>
    public ControlRequest Read(ParseResult p)
    {
        var extra = p.GetValue(AddStyle) ?? [];
        int styles = 1 + extra.Length;
        string? weightsText = p.GetValue(BlendWeights), map = p.GetValue(RegionMap), assignments = p.GetValue(RegionStyles), scales = p.GetValue(ScaleStyles);
        if (weightsText is not null && map is not null)
            throw new NotebookStyleException("--style-blend-weights blends styles over the whole image; with --region-map each region takes one style (--region-styles): drop one of them.");
        if (weightsText is not null && scales is not null)
            throw new NotebookStyleException("--style-blend-weights blends styles over the whole image; with --scale-styles each group of layers takes one style: drop one of them.");
        if (scales is not null && map is not null) throw new NotebookStyleException("--scale-styles and --region-map cannot be combined yet.");
        if (map is null)
        {
            if (assignments is not null) throw new NotebookStyleException("--region-styles needs --region-map.");
            if (p.GetResult(RegionBlur) is { Implicit: false }) throw new NotebookStyleException("--region-blur softens the borders of a --region-map; give the map, or drop --region-blur.");
        }
        else if (assignments is null)
        {
            throw new NotebookStyleException("--region-map needs --region-styles (e.g. ff0000=0,00ff00=none).");
        }
        return new ControlRequest
        {
            ExtraStyles = extra,
            BlendWeights = ParseWeights(weightsText, styles),
            RegionMap = map,
            RegionStyles = assignments is null ? [] : ParseAssignments(assignments, styles),
            RegionBlur = p.GetValue(RegionBlur),
            ScaleStyles = scales is null ? null : ParseScales(scales, styles),
        };
    }

    /// <summary>
    /// The blend weights for <paramref name="count"/> styles (equal when not given), normalised to sum 1: divided by the
    /// largest first, so that no sum overflows (1e308,1e308 is an equal blend).
    /// </summary>
    /// <exception cref="NotebookStyleException">Not a number, not finite, negative, all 0, or not one per style.</exception>
    public static double[] ParseWeights(string? text, int count)
    {
        if (text is null) return [.. Enumerable.Repeat(1.0 / count, count)];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != count)
            throw new NotebookStyleException($"--style-blend-weights has {parts.Length} weights for {count} styles; give one per style.");
        var weights = parts.Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && double.IsFinite(w)
            ? w >= 0 ? w : throw new NotebookStyleException($"--style-blend-weights: {part} is negative; weights are ≥ 0.")
            : throw new NotebookStyleException($"--style-blend-weights: '{part}' is not a finite number.")).ToArray();
        double largest = weights.Max();
        if (!(largest > 0)) throw new NotebookStyleException("--style-blend-weights are all 0; at least one style needs a weight above 0.");
        double sum = weights.Sum(w => w / largest);
        return [.. weights.Select(w => w / largest / sum)];
    }

    /// <summary>--region-styles: rrggbb=INDEX or rrggbb=none, each colour once, each index a style.</summary>
    private static IReadOnlyList<RegionAssignment> ParseAssignments(string text, int styles)
    {
        var result = new List<RegionAssignment>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = entry.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2) throw new NotebookStyleException($"--region-styles: '{entry}' is not rrggbb=INDEX or rrggbb=none.");
            string colour = pair[0].TrimStart('#').ToLowerInvariant();
            if (colour.Length != 6 || !colour.All(Uri.IsHexDigit))
                throw new NotebookStyleException($"--region-styles: '{pair[0]}' is not a colour as rrggbb (six hex digits).");
            int? style = null;
            if (!pair[1].Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= styles)
                    throw new NotebookStyleException($"--region-styles: '{pair[1]}' is not a style index (0 to {styles - 1}) or none.");
                style = index;
            }
            if (result.FirstOrDefault(a => a.Colour == colour) is { } earlier)
                throw new NotebookStyleException($"--region-styles gives {colour} twice ({Describe(earlier.Style)} and {Describe(style)}); give each colour one style.");
            result.Add(new RegionAssignment(colour, style));
        }
        if (result.All(a => a.Style is null)) throw new NotebookStyleException("--region-styles gives no region a style.");
        return result;

        static string Describe(int? style) => style is int i ? $"={i}" : "=none";
    }

    /// <summary>--scale-styles: INDEX:LAYER+LAYER entries.</summary>
    private static IReadOnlyList<(int Style, string[] Layers)> ParseScales(string text, int styles)
    {
        var result = new List<(int, string[])>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = entry.Split(':', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= styles)
                throw new NotebookStyleException($"--scale-styles: '{entry}' is not INDEX:LAYER+LAYER with a style index from 0 to {styles - 1}.");
            var layers = pair[1].Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (layers.Length == 0) throw new NotebookStyleException($"--scale-styles: '{entry}' names no layer.");
            result.Add((index, layers));
        }
        if (result.Count == 0) throw new NotebookStyleException("--scale-styles gives no style a layer.");
        return result;
    }
}
