using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Cli;

/// <summary>One --region-styles entry: a map colour (rrggbb, lowercase) and its style's index, or null for the photo.</summary>
internal sealed record RegionAssignment(string Colour, int? Style);

/// <summary>
/// The control options as checked by <see cref="ControlOptions.Read"/>: the extra styles, normalised blend weights,
/// and either a region map with its assignments or a scale control. <see cref="Regions"/> builds the
/// driver's regions once the images are loaded.
/// </summary>
internal sealed record ControlRequest
{
    /// <summary>More style files (--add-style), numbered 1, 2, … after --style; - is standard input.</summary>
    public IReadOnlyList<string> ExtraStyles { get; init; } = [];

    /// <summary>One weight per style, ≥ 0, summing to 1.</summary>
    public IReadOnlyList<double> BlendWeights { get; init; } = [1.0];

    /// <summary>The region map file, or null.</summary>
    public string? RegionMap { get; init; }

    /// <summary>Each map colour's style (empty without a map).</summary>
    public IReadOnlyList<RegionAssignment> RegionStyles { get; init; } = [];

    /// <summary>The region borders' blur (σ as a fraction of the long side).</summary>
    public double RegionBlur { get; init; } = 0.02;

    /// <summary>The scale control's groups, or null.</summary>
    public IReadOnlyList<(int Style, string[] Layers)>? ScaleStyles { get; init; }

    /// <summary>
    /// The regions for the driver: without a map or scale control one region (the whole image) with every style blended
    /// by the weights; with a map a region per colour given a style (the map reduced to the content's size as it is
    /// decoded); with a scale control a whole-image region per group of layers. The caller disposes the masks.
    /// </summary>
    /// <exception cref="NotebookStyleException">A colour the map lacks, or more colours than a map may have.</exception>
    public IReadOnlyList<StyleRegion> Regions(IReadOnlyList<Tensor> styles, Tensor content, InputImage? map)
    {
        var blend = styles.Select((s, i) => new WeightedStyle(s, BlendWeights[i])).ToList();
        if (ScaleStyles is { } groups) return [.. groups.Select(g => new StyleRegion(null, [blend[g.Style] with { Weight = 1 }], g.Layers))];
        if (map is null) return [new StyleRegion(null, blend)];
        using var regionMap = Imaging.RegionMap.Load(map.Bytes, map.Name, content.shape[2], content.shape[3], RegionBlur);
        var regions = new List<StyleRegion>();
        try
        {
            foreach (var (colour, style) in RegionStyles)
            {
                using var mask = regionMap.Mask(colour); // checks the colour even when it keeps the photo
                if (style is int index) regions.Add(new StyleRegion(mask.clone(), [blend[index] with { Weight = 1 }]));
            }
        }
        catch
        {
            foreach (var region in regions) region.Mask?.Dispose();
            throw;
        }
        return regions;
    }
}
