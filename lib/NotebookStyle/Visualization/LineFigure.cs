using Plotly.NET;
using Plotly.NET.CSharp;
using ScottPlot;
using SkiaSharp;
using PChart = Plotly.NET.CSharp.Chart;

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

    /// <summary>The x axis counts (iterations, evaluations): its ticks are whole numbers, never 2.5.</summary>
    public bool IntegerX { get; init; }

    /// <summary>
    /// The step between the x axis's ticks when <see cref="IntegerX"/>: a whole 1, 2 or 5 × 10^k that gives at most
    /// about eight ticks over the data's range.
    /// </summary>
    public double IntegerTickStep
    {
        get
        {
            var xs = Series.SelectMany(s => s.X).Where(double.IsFinite).ToList();
            double range = xs.Count == 0 ? 0 : xs.Max() - xs.Min();
            double step = 1;
            for (double scale = 1; step * 8 < range; scale *= 10)
                foreach (double m in new[] { 1.0, 2, 5, 10 })
                    if ((step = m * scale) * 8 >= range) break;
            return step;
        }
    }

    /// <inheritdoc />
    public override GenericChart ToPlotly()
    {
        var chart = PChart.Combine(Series.Select(s => PChart.Line<double, double, string>(s.X, s.Y, ShowMarkers: s.X.Count <= 1, Name: s.Name)))
            .WithXAxisStyle<double, double, string>(TitleText: XTitle)
            .WithYAxisStyle<double, double, string>(TitleText: YTitle, AxisType: LogY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithSize(Width, Height);
        if (IntegerX)
        {
            chart = PlotlyInterop.SetOnLayoutObject(chart, "xaxis", "tickmode", "linear");
            chart = PlotlyInterop.SetOnLayoutObject(chart, "xaxis", "tick0", 0);
            chart = PlotlyInterop.SetOnLayoutObject(chart, "xaxis", "dtick", IntegerTickStep);
        }
        return PlotlyInterop.WithTitle(chart, Title);
    }

    /// <summary>The static chart as a ScottPlot plot: one line per series (a marker where a point stands alone).</summary>
    internal Plot ToScottPlot()
    {
        var plot = ChartStyle.NewPlot(Title, XTitle, YTitle);
        var drawn = new List<double>();
        for (int i = 0; i < Series.Count; i++)
        {
            var color = ChartStyle.Palette.GetColor(i);
            bool named = false;
            // NaN, infinities and (on a log axis) non-positive values break the line into pieces.
            foreach (var piece in Pieces(Series[i]))
            {
                var line = plot.Add.ScatterLine(piece.Select(p => p.X).ToArray(), piece.Select(p => p.Y).ToArray(), color);
                line.LineWidth = 2;
                if (piece.Count == 1) { line.MarkerShape = MarkerShape.FilledCircle; line.MarkerSize = 6; }
                if (!named) { line.LegendText = Series[i].Name; named = true; }
                drawn.AddRange(piece.Select(p => p.Y));
            }
        }
        if (LogY && drawn.Count > 0) ChartStyle.LogAxisY(plot, drawn.Min(), drawn.Max());
        if (IntegerX) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(IntegerTickStep);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private protected override void Draw(SKCanvas canvas) => ToScottPlot().Render(canvas, Width, Height);

    private IEnumerable<List<(double X, double Y)>> Pieces(Series s)
    {
        var piece = new List<(double X, double Y)>();
        for (int j = 0; j < s.X.Count; j++)
        {
            double x = s.X[j], y = s.Y[j];
            if (double.IsFinite(x) && double.IsFinite(y) && (!LogY || y > 0)) piece.Add((x, LogY ? Math.Log10(y) : y));
            else if (piece.Count > 0) { yield return piece; piece = []; }
        }
        if (piece.Count > 0) yield return piece;
    }
}
