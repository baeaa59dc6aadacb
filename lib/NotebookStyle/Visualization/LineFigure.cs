using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using PChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace NotebookStyle.Visualization;

/// <summary>Lines over a shared x axis, optionally with a logarithmic y axis (loss curves).</summary>
public sealed class LineFigure : Figure
{
    /// <summary>Creates the figure.</summary>
    public LineFigure(string title, IReadOnlyList<Series> series, string xTitle = "", string yTitle = "", bool logY = false) : base(title)
    {
        if (series.Count == 0) throw new NotebookStyleException("A line chart needs at least one series.");
        foreach (var s in series)
            if (s.X.Count != s.Y.Count) throw new NotebookStyleException($"Series '{s.Name}' has {s.X.Count} x values and {s.Y.Count} y values.");
        Series = series;
        XTitle = xTitle;
        YTitle = yTitle;
        LogY = logY;
    }

    /// <summary>The lines.</summary>
    public IReadOnlyList<Series> Series { get; }

    /// <summary>x axis title.</summary>
    public string XTitle { get; }

    /// <summary>y axis title.</summary>
    public string YTitle { get; }

    /// <summary>Logarithmic y axis (non-positive values are left out).</summary>
    public bool LogY { get; }

    /// <inheritdoc />
    public override GenericChart ToPlotly()
    {
        var chart = PChart.Combine(Series.Select(s => PChart.Line<double, double, string>(s.X, s.Y, ShowMarkers: s.X.Count <= 1, Name: s.Name)))
            .WithXAxisStyle<double, double, string>(TitleText: XTitle)
            .WithYAxisStyle<double, double, string>(TitleText: YTitle, AxisType: LogY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithSize(Width, Height);
        return PlotlyInterop.WithTitle(chart, Title);
    }

    /// <inheritdoc />
    public override Image<Rgb24> ToImage()
    {
        var points = Series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!LogY || p.Second > 0)).ToList();
        var xAxis = points.Count == 0 ? PlotAxis.Linear(0, 1) : PlotAxis.Linear(points.Min(p => p.First), points.Max(p => p.First));
        var yAxis = points.Count == 0 ? PlotAxis.Linear(0, 1)
            : LogY ? PlotAxis.Log(points.Min(p => p.Second), points.Max(p => p.Second))
            : PlotAxis.Linear(points.Min(p => p.Second), points.Max(p => p.Second));
        var plot = new PlotRenderer(Width, Height, Title, XTitle, YTitle, xAxis, yAxis, Series.Select(s => s.Name).ToList());
        for (int i = 0; i < Series.Count; i++)
        {
            var s = Series[i];
            var color = Canvas.Palette[i % Canvas.Palette.Length];
            (double X, double Y)? last = null;
            for (int j = 0; j < s.X.Count; j++)
            {
                double x = s.X[j], y = s.Y[j];
                if (!double.IsFinite(x) || !double.IsFinite(y) || (LogY && y <= 0)) { last = null; continue; }
                var p = plot.ToPixel(x, y);
                if (last is { } l) plot.Line(l.X, l.Y, p.X, p.Y, color, 2);
                else plot.Dot(p.X, p.Y, color);
                last = p;
            }
        }
        return plot.Image;
    }
}
