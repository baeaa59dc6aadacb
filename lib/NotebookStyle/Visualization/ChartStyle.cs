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
        if (xTitle.Length > 0) plot.XLabel(xTitle);
        if (yTitle.Length > 0) plot.YLabel(yTitle);
        return plot;
    }

    /// <summary>
    /// Labels the left axis of a plot whose y values are log10 of the data as the data (ScottPlot has no log scale:
    /// the data are plotted as their logarithms). Ticks fall on powers of ten when the range spans a decade or more.
    /// </summary>
    public static void LogAxisY(Plot plot, double log10Min, double log10Max)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => Labels.Number(Math.Pow(10, v)),
            IntegerTicksOnly = log10Max - log10Min >= 1,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
    }
}
