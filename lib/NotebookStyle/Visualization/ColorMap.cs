using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Visualization;

/// <summary>Maps a value in [0, 1] to a colour by linear interpolation between anchor colours.</summary>
public sealed class ColorMap
{
    private readonly Rgb24[] _anchors;

    /// <summary>Creates a map through <paramref name="anchors"/>, spaced evenly over [0, 1].</summary>
    public ColorMap(string name, params Rgb24[] anchors)
    {
        if (anchors.Length < 2) throw new ArgumentException("A colour map needs at least two anchors.", nameof(anchors));
        Name = name;
        _anchors = anchors;
    }

    /// <summary>The map's name (also its Plotly colour-scale name where one exists).</summary>
    public string Name { get; }

    /// <summary>matplotlib's viridis (perceptually uniform, readable in grey): the default for activations.</summary>
    public static ColorMap Viridis { get; } = new("Viridis",
        new(0x44, 0x01, 0x54), new(0x47, 0x2d, 0x7b), new(0x3b, 0x52, 0x8b), new(0x2c, 0x72, 0x8e), new(0x21, 0x91, 0x8c),
        new(0x28, 0xae, 0x80), new(0x5e, 0xc9, 0x62), new(0xad, 0xdc, 0x30), new(0xfd, 0xe7, 0x25));

    /// <summary>Black to white.</summary>
    public static ColorMap Grey { get; } = new("Greys", new(0, 0, 0), new(255, 255, 255));

    /// <summary>Blue – white – red, for signed values centred on 0.5 (e.g. gradients mapped from [−m, m]).</summary>
    public static ColorMap Diverging { get; } = new("RdBu", new(0x3b, 0x4c, 0xc0), new(0xf7, 0xf7, 0xf7), new(0xb4, 0x04, 0x26));

    /// <summary>The colour of <paramref name="t"/> (clamped to [0, 1]; NaN maps to 0).</summary>
    public Rgb24 Map(double t)
    {
        if (double.IsNaN(t) || t < 0) t = 0;
        if (t > 1) t = 1;
        double p = t * (_anchors.Length - 1);
        int i = Math.Min((int)p, _anchors.Length - 2);
        double f = p - i;
        Rgb24 a = _anchors[i], b = _anchors[i + 1];
        return new Rgb24(Lerp(a.R, b.R, f), Lerp(a.G, b.G, f), Lerp(a.B, b.B, f));
    }

    /// <summary>Anchor positions and CSS colours, for Plotly's custom colour scales.</summary>
    public IEnumerable<(double Position, string Css)> Anchors() =>
        _anchors.Select((c, i) => ((double)i / (_anchors.Length - 1), $"rgb({c.R},{c.G},{c.B})"));

    /// <summary>This map as a ScottPlot colour map (heatmaps and colour bars of the static charts).</summary>
    internal ScottPlot.IColormap ToScottPlot() => new ScottPlotColormap(this);

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);

    /// <inheritdoc />
    public override string ToString() => Name;

    private sealed class ScottPlotColormap(ColorMap map) : ScottPlot.IColormap
    {
        public string Name => map.Name;

        public ScottPlot.Color GetColor(double position)
        {
            var c = map.Map(position);
            return new ScottPlot.Color(c.R, c.G, c.B);
        }
    }
}
