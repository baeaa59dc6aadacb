using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>Which channels of a layer a grid shows.</summary>
public enum ChannelSelection
{
    /// <summary>Channels 0, 1, 2, …</summary>
    First,
    /// <summary>The channels with the largest mean activation on this image.</summary>
    MostActive,
    /// <summary>Channels spread evenly over the layer.</summary>
    Evenly,
}

/// <summary>How a feature-map grid looks.</summary>
public sealed record FeatureMapGridOptions
{
    /// <summary>Maps shown (at most the layer's channels).</summary>
    public int Count { get; init; } = 16;

    /// <summary>How the channels are chosen when <see cref="Channels"/> is null.</summary>
    public ChannelSelection Selection { get; init; } = ChannelSelection.MostActive;

    /// <summary>Exactly these channels, in this order (overrides <see cref="Count"/> and <see cref="Selection"/>).</summary>
    public IReadOnlyList<int>? Channels { get; init; }

    /// <summary>Maps per row (0: about square).</summary>
    public int Columns { get; init; } = 8;

    /// <summary>Long side of each map in pixels (maps are scaled up by repetition, down by averaging).</summary>
    public int CellSize { get; init; } = 96;

    /// <summary>Gap between maps in pixels.</summary>
    public int Spacing { get; init; } = 4;

    /// <summary>Colours; each map is normalised to its own minimum and maximum first.</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Viridis;

    /// <summary>Print the channel number under each map.</summary>
    public bool Labels { get; init; } = true;

    /// <summary>A line of text above the grid (e.g. the layer's name).</summary>
    public string? Title { get; init; }
}

/// <summary>
/// Renders a layer's activations [1, C, H, W] as a grid of images, one per channel, each normalised to its own range
/// (so weak and strong channels are both visible; compare magnitudes with the activation statistics instead).
/// </summary>
public static class FeatureMapGrid
{
    /// <summary>The grid for one layer's activations.</summary>
    /// <exception cref="NotebookStyleException">Not a [1, C, H, W] or [C, H, W] tensor, or a channel out of range.</exception>
    public static Image<Rgb24> Render(Tensor features, FeatureMapGridOptions? options = null)
    {
        var o = options ?? new FeatureMapGridOptions();
        var (maps, h, w) = Maps(features);
        using (maps)
        {
            var channels = SelectChannelsOf(maps, o);
            int count = channels.Count;
            int columns = o.Columns > 0 ? Math.Min(o.Columns, count) : (int)Math.Ceiling(Math.Sqrt(count));
            int rows = (count + columns - 1) / columns;
            double scale = (double)Math.Max(1, o.CellSize) / Math.Max(h, w);
            int cw = Math.Max(1, (int)Math.Round(w * scale)), ch = Math.Max(1, (int)Math.Round(h * scale));
            int labelH = o.Labels ? SheetCanvas.LineHeight + 2 : 0;
            int titleH = o.Title is null ? 0 : SheetCanvas.LineHeight + 6;
            int width = columns * cw + (columns + 1) * o.Spacing;
            int height = titleH + rows * (ch + labelH) + (rows + 1) * o.Spacing;
            using var sheet = new SheetCanvas(width, height);
            if (o.Title is not null) sheet.Text(o.Spacing, 3, o.Title, width - 2 * o.Spacing);

            using var selected = maps.index_select(0, tensor(channels.Select(c => (long)c).ToArray())).to_type(ScalarType.Float32).contiguous();
            float[] data = selected.data<float>().ToArray();
            for (int i = 0; i < count; i++)
            {
                int x = o.Spacing + (i % columns) * (cw + o.Spacing);
                int y = titleH + o.Spacing + (i / columns) * (ch + labelH + o.Spacing);
                using var cell = MapImage(data.AsSpan(i * h * w, h * w), h, w, cw, ch, o.ColorMap);
                sheet.Paste(cell, x, y);
                if (o.Labels) sheet.TextCentered(x + cw / 2, y + ch + 1, $"{channels[i]}", cw + o.Spacing);
            }
            return sheet.ToImage();
        }
    }

    /// <summary>
    /// One grid per layer, stacked vertically, each titled with its layer name, shape and the channels shown.
    /// </summary>
    public static Image<Rgb24> RenderLayers(IReadOnlyDictionary<string, Tensor> features, FeatureMapGridOptions? options = null)
    {
        var o = options ?? new FeatureMapGridOptions();
        var grids = new List<Image<Rgb24>>();
        try
        {
            foreach (var (layer, f) in features)
            {
                var s = f.shape;
                grids.Add(Render(f, o with { Title = $"{layer}  [{string.Join("x", s.Skip(s.Length - 3))}]" }));
            }
            return ImageSheet.Column(grids.Select(g => new Panel(g)), spacing: 6);
        }
        finally
        {
            foreach (var g in grids) g.Dispose();
        }
    }

    /// <summary>
    /// The same channels of one layer for several images, side by side (channels chosen on the first image), e.g.
    /// content | result to see that the content layer matches the content.
    /// </summary>
    public static Image<Rgb24> Compare(Models.FeatureExtractor network, string layer, IEnumerable<(string Name, Tensor Image)> images, FeatureMapGridOptions? options = null)
    {
        var o = options ?? new FeatureMapGridOptions();
        var list = images.ToList();
        if (list.Count == 0) throw new NotebookStyleException("Give at least one image to compare.");
        var grids = new List<Image<Rgb24>>();
        try
        {
            IReadOnlyList<int>? channels = o.Channels;
            foreach (var (name, img) in list)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var f = network.ExtractRgb(img.to(network.Device), [layer])[layer];
                channels ??= SelectChannels(f, o);
                grids.Add(Render(f, o with { Channels = channels, Title = $"{name}: {layer} [{string.Join("x", f.shape.Skip(1))}]" }));
            }
            return ImageSheet.Row(grids.Select(g => new Panel(g)), height: 0, spacing: 12);
        }
        finally
        {
            foreach (var g in grids) g.Dispose();
        }
    }

    /// <summary>The channels a grid with <paramref name="options"/> shows for these activations.</summary>
    public static IReadOnlyList<int> SelectChannels(Tensor features, FeatureMapGridOptions? options = null)
    {
        var o = options ?? new FeatureMapGridOptions();
        var (maps, _, _) = Maps(features);
        using (maps) return SelectChannelsOf(maps, o);
    }

    private static List<int> SelectChannelsOf(Tensor maps, FeatureMapGridOptions o)
    {
        int c = (int)maps.shape[0];
        if (o.Channels is { } explicitChannels)
        {
            if (explicitChannels.Count == 0) throw new NotebookStyleException("Give at least one channel.");
            foreach (int ch in explicitChannels)
                if (ch < 0 || ch >= c) throw new NotebookStyleException($"Channel {ch} is out of range: the layer has {c} channels (0–{c - 1}).");
            return explicitChannels.ToList();
        }
        if (o.Count < 1) throw new NotebookStyleException($"Show at least one map, got Count = {o.Count}.");
        int k = Math.Min(o.Count, c);
        switch (o.Selection)
        {
            case ChannelSelection.First:
                return Enumerable.Range(0, k).ToList();
            case ChannelSelection.Evenly:
                return Enumerable.Range(0, k).Select(i => (int)((long)i * c / k)).ToList();
            default:
                using (var means = maps.to_type(ScalarType.Float32).mean([1, 2]))
                {
                    float[] m = means.data<float>().ToArray();
                    return Enumerable.Range(0, c).OrderByDescending(i => m[i]).ThenBy(i => i).Take(k).ToList();
                }
        }
    }

    private static (Tensor Maps, int H, int W) Maps(Tensor features)
    {
        var t = features.detach();
        if (t.dim() == 4)
        {
            if (t.shape[0] != 1) throw new NotebookStyleException($"Feature-map grids show one image; got a batch of {t.shape[0]}.");
            t = t[0];
        }
        if (t.dim() != 3) throw new NotebookStyleException($"Expected activations [1, C, H, W], got [{string.Join(", ", features.shape)}].");
        return (t.cpu(), (int)t.shape[1], (int)t.shape[2]);
    }

    /// <summary>One map, normalised to its own range, resampled to cw×ch and coloured.</summary>
    internal static Image<Rgb24> MapImage(ReadOnlySpan<float> map, int h, int w, int cw, int ch, ColorMap colors)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in map)
        {
            if (float.IsNaN(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        double range = max > min ? max - min : 0;
        var resampled = Resample(map, h, w, cw, ch);
        var image = new Image<Rgb24>(cw, ch);
        for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++)
            image[x, y] = colors.Map(range > 0 ? (resampled[y * cw + x] - min) / range : 0);
        return image;
    }

    /// <summary>Resamples an h×w map to tw×th: nearest-neighbour when enlarging, box average when shrinking (per axis).</summary>
    internal static float[] Resample(ReadOnlySpan<float> src, int h, int w, int tw, int th)
    {
        var dst = new float[tw * th];
        for (int ty = 0; ty < th; ty++)
        {
            int y0 = (int)((long)ty * h / th), y1 = Math.Max(y0 + 1, (int)((long)(ty + 1) * h / th));
            for (int tx = 0; tx < tw; tx++)
            {
                int x0 = (int)((long)tx * w / tw), x1 = Math.Max(x0 + 1, (int)((long)(tx + 1) * w / tw));
                double sum = 0;
                for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    sum += src[y * w + x];
                dst[ty * tw + tx] = (float)(sum / ((y1 - y0) * (x1 - x0)));
            }
        }
        return dst;
    }
}
