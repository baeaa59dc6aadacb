using Plotly.NET;
using Plotly.NET.CSharp;
using ScottPlot;
using SkiaSharp;
using PChart = Plotly.NET.CSharp.Chart;

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

    /// <summary>One ScottPlot plot per matrix, titled with its name; colour bars on every panel, or on the last one when the scale is shared.</summary>
    internal IReadOnlyList<Plot> ToScottPlots()
    {
        var (lo, hi) = SharedRange();
        var colormap = ColorMap.ToScottPlot();
        return Panels.Select((p, i) =>
        {
            var plot = ChartStyle.NewPlot(p.Name, "", "");
            var heatmap = plot.Add.Heatmap(p.Z);
            heatmap.Colormap = colormap;
            if (SharedScale) heatmap.ManualRange = new ScottPlot.Range(lo, hi);
            if (!SharedScale || i == Panels.Count - 1) plot.Add.ColorBar(heatmap);
            // Matrices read top-down: row 0 at the top (the inverted y range also turns the picture; measured), one
            // tick per whole row or column, square cells.
            plot.Axes.SetLimits(-0.5, p.Z.GetLength(1) - 0.5, p.Z.GetLength(0) - 0.5, -0.5);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.Axes.SquareUnits();
            return plot;
        }).ToList();
    }

    private protected override void Draw(SKCanvas canvas)
    {
        using var font = new SKFont(ChartFont.Bold, 16) { Edging = SKFontEdging.Antialias };
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        int titleHeight = (int)Math.Ceiling(font.Spacing) + 10;
        canvas.DrawText(SheetCanvas.Fit(Title, Width - 16, font), Width / 2f, 6 - font.Metrics.Ascent, SKTextAlign.Center, font, ink);
        // Panels share the width; with one shared colour bar, the last panel is wider by the bar's room. Each is
        // rendered on its own bitmap: a ScottPlot render clears the whole canvas it is given.
        var plots = ToScottPlots();
        int bar = SharedScale && plots.Count > 1 ? 70 : 0;
        int panel = (Width - bar) / plots.Count, height = Math.Max(1, Height - titleHeight);
        for (int i = 0, left = 0; i < plots.Count; i++)
        {
            int width = panel + (i == plots.Count - 1 ? bar : 0);
            using var bitmap = SkiaPixels.NewBitmap(width, height);
            using (var panelCanvas = new SKCanvas(bitmap)) plots[i].Render(panelCanvas, width, height);
            canvas.DrawBitmap(bitmap, left, titleHeight);
            left += width;
        }
    }
}
