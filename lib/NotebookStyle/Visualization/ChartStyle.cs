using ScottPlot;

namespace NotebookStyle.Visualization;

/// <summary>What every static chart shares: the embedded font, Plotly's trace colours, and logarithmic axes.</summary>
internal static class ChartStyle
{
    /// <summary>Plotly's default trace colours (D3's Category10), so that the static picture matches the interactive chart.</summary>
    public static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>A plot with the embedded font, a title and axis titles (empty ones are left out), and the legend to the right.</summary>
    public static Plot NewPlot(string title, string xTitle, string yTitle)
    {
        var plot = new Plot();
        ChartFont.Apply(plot);
        plot.Title(title);
        plot.Axes.Title.Label.Font = ChartFont.Bold;
        if (xTitle.Length > 0) plot.XLabel(xTitle);
        if (yTitle.Length > 0) plot.YLabel(yTitle);
        return plot;
    }

    /// <summary>
    /// Labels the left axis of a plot whose y values are log10 of the data as the data (ScottPlot has no log scale:
    /// the data are plotted as their logarithms). Labels at powers of ten (every few decades on a long range), also at
    /// 2 and 5 × 10^k within two decades, at every 1–9 × 10^k within half a decade; minor ticks at the rest.
    /// </summary>
    public static void LogAxisY(Plot plot, double log10Min, double log10Max)
    {
        double span = log10Max - log10Min;
        int first = (int)Math.Floor(log10Min), last = (int)Math.Ceiling(log10Max);
        int everyDecades = Math.Max(1, (last - first + 5) / 6);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int e = first; e <= last; e++)
        for (int m = 1; m <= 9; m++)
        {
            double value = m * Math.Pow(10, e);
            bool major = m == 1 ? (e - first) % everyDecades == 0 : span < 0.5 || (span <= 2 && m is 2 or 5);
            if (major) ticks.AddMajor(Math.Log10(value), Labels.Number(value));
            else ticks.AddMinor(Math.Log10(value));
        }
        plot.Axes.Left.TickGenerator = ticks;
    }
}
