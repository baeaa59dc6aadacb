using Plotly.NET;
using Plotly.NET.CSharp;
using ScottPlot;
using SkiaSharp;
using PChart = Plotly.NET.CSharp.Chart;

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

    /// <summary>The static chart as a ScottPlot plot: 80% of each category's slot shared by its bars.</summary>
    internal Plot ToScottPlot()
    {
        var plot = ChartStyle.NewPlot(Title, "", YTitle);
        var values = Series.SelectMany(s => s.Y).Where(v => double.IsFinite(v) && (!LogY || v > 0)).ToList();
        // On a log axis the bars stand on the decade below the smallest value (plotted as log10, see ChartStyle).
        double baseline = LogY && values.Count > 0 ? Math.Floor(Math.Log10(values.Min())) : 0;
        double group = 0.8, width = group / Series.Count;
        for (int s = 0; s < Series.Count; s++)
        {
            var color = ChartStyle.Palette.GetColor(s);
            var bars = new List<Bar>();
            for (int c = 0; c < Categories.Count; c++)
            {
                double v = Series[s].Y[c];
                if (!double.IsFinite(v) || (LogY && v <= 0)) continue;
                bars.Add(new Bar
                {
                    Position = c - group / 2 + (s + 0.5) * width, Size = width * 0.9,
                    Value = LogY ? Math.Log10(v) : v, ValueBase = baseline, FillColor = color, LineWidth = 0,
                });
            }
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = Series[s].Name;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, Categories.Count).Select(c => (double)c).ToArray(), Categories.ToArray());
        plot.Axes.SetLimitsX(-0.5, Categories.Count - 0.5);
        if (LogY && values.Count > 0) ChartStyle.LogAxisY(plot, baseline, Math.Log10(values.Max()));
        // The bars stand on the bottom edge.
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private protected override void Draw(SKCanvas canvas) => ToScottPlot().Render(canvas, Width, Height);
}
