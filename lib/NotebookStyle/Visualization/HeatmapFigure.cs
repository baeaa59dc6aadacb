using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using PChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace NotebookStyle.Visualization;

/// <summary>Matrices side by side as heatmaps (e.g. the Gram matrix of the content beside the style's).</summary>
public sealed class HeatmapFigure : Figure
{
    /// <summary>Creates the figure.</summary>
    /// <param name="title">Title.</param>
    /// <param name="panels">Name and matrix of each heatmap.</param>
    /// <param name="sharedScale">One colour range for all panels (compare values) instead of one per panel (compare patterns).</param>
    public HeatmapFigure(string title, IReadOnlyList<(string Name, double[,] Z)> panels, bool sharedScale = true) : base(title)
    {
        if (panels.Count == 0) throw new NotebookStyleException("A heatmap figure needs at least one matrix.");
        Panels = panels;
        SharedScale = sharedScale;
    }

    /// <summary>The matrices.</summary>
    public IReadOnlyList<(string Name, double[,] Z)> Panels { get; }

    /// <summary>Whether all panels share one colour range.</summary>
    public bool SharedScale { get; }

    /// <summary>The colours.</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Viridis;

    private (double Min, double Max) SharedRange()
    {
        var ranges = Panels.Select(p => HeatmapImage.Range(p.Z)).ToList();
        return (ranges.Min(r => r.Min), ranges.Max(r => r.Max));
    }

    /// <inheritdoc />
    public override GenericChart ToPlotly()
    {
        var (lo, hi) = SharedRange();
        var colorscale = ColorMap.Anchors().Select(a => new object[] { a.Position, a.Css }).ToArray();
        var charts = Panels.Select((p, i) =>
        {
            var rows = Enumerable.Range(0, p.Z.GetLength(0)).Select(r => Enumerable.Range(0, p.Z.GetLength(1)).Select(c => p.Z[r, c]).ToArray()).ToArray();
            var (zmin, zmax) = SharedScale ? (lo, hi) : HeatmapImage.Range(p.Z);
            // Raw trace properties: Plotly.NET.CSharp's Heatmap has no zmin/zmax (see PlotlyInterop for why not F# calls).
            return PlotlyInterop.Trace("heatmap", new Dictionary<string, object>
            {
                ["z"] = rows, ["name"] = p.Name, ["zmin"] = zmin, ["zmax"] = zmax, ["colorscale"] = colorscale,
                ["showscale"] = i == Panels.Count - 1 || !SharedScale,
            });
        }).ToList();
        var grid = PChart.Grid(charts, 1, Panels.Count, SubPlotTitles: new Optional<IEnumerable<string>>(Panels.Select(p => p.Name), true)).WithSize(Width, Height);
        // Matrices read top-down: row 0 at the top.
        for (int i = 1; i <= Panels.Count; i++)
            grid = PlotlyInterop.SetOnLayoutObject(grid, i == 1 ? "yaxis" : $"yaxis{i}", "autorange", "reversed");
        return PlotlyInterop.WithTitle(grid, Title);
    }

    /// <inheritdoc />
    public override Image<Rgb24> ToImage()
    {
        var (lo, hi) = SharedRange();
        int titleH = BitmapFont.LineHeight + 10;
        int barW = 70;
        int available = Width - barW * (SharedScale ? 1 : Panels.Count) - 12 * (Panels.Count + 1);
        int side = Math.Max(16, Math.Min(Height - titleH - BitmapFont.LineHeight - 24, available / Panels.Count));
        var image = Canvas.Blank(Width, Height);
        Canvas.Text(image, 8, 4, BitmapFont.Fit(Title, Width - 16));
        int x = 12, y = titleH + BitmapFont.LineHeight + 6;
        foreach (var (name, z) in Panels)
        {
            var (zmin, zmax) = SharedScale ? (lo, hi) : HeatmapImage.Range(z);
            int n = Math.Max(z.GetLength(0), z.GetLength(1));
            int cell = Math.Max(1, side / n);
            using var map = HeatmapImage.Render(z, ColorMap, zmin, zmax, cell);
            Canvas.TextCentered(image, x + map.Width / 2, titleH, name, map.Width + 8);
            Canvas.Paste(image, map, x, y);
            x += map.Width + 12;
            if (!SharedScale)
            {
                using var bar = HeatmapImage.ColorBar(zmin, zmax, map.Height, ColorMap);
                Canvas.Paste(image, bar, x, y);
                x += bar.Width + 12;
            }
        }
        if (SharedScale)
        {
            using var bar = HeatmapImage.ColorBar(lo, hi, Math.Max(16, side), ColorMap);
            Canvas.Paste(image, bar, x, y);
        }
        return image;
    }
}
