using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using PChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace NotebookStyle.Visualization;

/// <summary>Grouped bars: one group per category (e.g. per layer), one bar per series (e.g. content and style).</summary>
public sealed class BarFigure : Figure
{
    /// <summary>Creates the figure; every series has one value per category (its X is ignored).</summary>
    public BarFigure(string title, IReadOnlyList<string> categories, IReadOnlyList<Series> series, string yTitle = "", bool logY = false) : base(title)
    {
        if (categories.Count == 0 || series.Count == 0) throw new NotebookStyleException("A bar chart needs at least one category and one series.");
        foreach (var s in series)
            if (s.Y.Count != categories.Count) throw new NotebookStyleException($"Series '{s.Name}' has {s.Y.Count} values for {categories.Count} categories.");
        Categories = categories;
        Series = series;
        YTitle = yTitle;
        LogY = logY;
    }

    /// <summary>The groups along the x axis.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>One bar per category each.</summary>
    public IReadOnlyList<Series> Series { get; }

    /// <summary>y axis title.</summary>
    public string YTitle { get; }

    /// <summary>Logarithmic y axis.</summary>
    public bool LogY { get; }

    /// <inheritdoc />
    public override GenericChart ToPlotly()
    {
        var chart = PChart.Combine(Series.Select(s => PChart.Column<double, string, string>(s.Y, Keys: new Optional<IEnumerable<string>>(Categories, true), Name: s.Name)))
            .WithYAxisStyle<double, double, string>(TitleText: YTitle, AxisType: LogY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithSize(Width, Height);
        return PlotlyInterop.WithTitle(chart, Title);
    }

    /// <inheritdoc />
    public override Image<Rgb24> ToImage()
    {
        var values = Series.SelectMany(s => s.Y).Where(v => double.IsFinite(v) && (!LogY || v > 0)).ToList();
        var yAxis = values.Count == 0 ? PlotAxis.Linear(0, 1)
            : LogY ? PlotAxis.Log(values.Min(), values.Max())
            : PlotAxis.Linear(Math.Min(0, values.Min()), Math.Max(0, values.Max()));
        var xAxis = PlotAxis.Categories(Categories);
        var plot = new PlotRenderer(Width, Height, Title, "", YTitle, xAxis, yAxis, Series.Select(s => s.Name).ToList());
        double group = 0.8, bar = group / Series.Count;
        double baseline = LogY ? yAxis.Min : 0;
        for (int c = 0; c < Categories.Count; c++)
        for (int s = 0; s < Series.Count; s++)
        {
            double v = Series[s].Y[c];
            if (!double.IsFinite(v) || (LogY && v <= 0)) continue;
            double x0 = c - group / 2 + s * bar, x1 = x0 + bar;
            var (px0, py0) = plot.ToPixel(x0, baseline);
            var (px1, py1) = plot.ToPixel(x1, v);
            plot.Rect(px0 + 1, Math.Min(py0, py1), px1 - 1, Math.Max(py0, py1), Canvas.Palette[s % Canvas.Palette.Length]);
        }
        return plot.Image;
    }
}
