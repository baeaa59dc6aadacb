namespace NotebookStyle.Visualization;

/// <summary>An axis of a static plot: its range, scale and tick marks.</summary>
internal sealed class PlotAxis
{
    private PlotAxis(double min, double max, bool log, IReadOnlyList<(double Value, string Label)> ticks)
    {
        Min = min; Max = max; IsLog = log; Ticks = ticks;
    }

    public double Min { get; }
    public double Max { get; }
    public bool IsLog { get; }
    public IReadOnlyList<(double Value, string Label)> Ticks { get; }

    /// <summary>Position of <paramref name="v"/> along the axis, 0 at <see cref="Min"/> and 1 at <see cref="Max"/>.</summary>
    public double Fraction(double v) => IsLog
        ? (Math.Log10(v) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (v - Min) / (Max - Min);

    /// <summary>A linear axis covering [lo, hi] with about five "nice" ticks (1, 2, 5 × 10^k).</summary>
    public static PlotAxis Linear(double lo, double hi)
    {
        if (hi <= lo) { double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1; lo -= pad; hi += pad; }
        double step = NiceStep((hi - lo) / 5);
        double start = Math.Floor(lo / step) * step, end = Math.Ceiling(hi / step) * step;
        var ticks = new List<(double, string)>();
        for (double t = start; t <= end + step * 1e-9; t += step)
            ticks.Add((Math.Abs(t) < step * 1e-9 ? 0 : t, Labels.Number(Math.Abs(t) < step * 1e-9 ? 0 : t)));
        return new PlotAxis(start, end, false, ticks);
    }

    /// <summary>A logarithmic axis covering [lo, hi] (both &gt; 0), ticks at powers of ten (and 2, 5 within a decade when the range is short).</summary>
    public static PlotAxis Log(double lo, double hi)
    {
        if (lo <= 0 || hi <= 0) throw new ArgumentOutOfRangeException(nameof(lo), "A logarithmic axis needs positive values.");
        int e0 = (int)Math.Floor(Math.Log10(lo)), e1 = (int)Math.Ceiling(Math.Log10(hi));
        if (e1 == e0) e1++;
        var ticks = new List<(double, string)>();
        int every = Math.Max(1, (e1 - e0 + 5) / 6);
        for (int e = e0; e <= e1; e++)
        {
            if ((e - e0) % every == 0) ticks.Add((Math.Pow(10, e), Labels.Number(Math.Pow(10, e))));
            if (e1 - e0 <= 2 && e < e1)
                foreach (int m in new[] { 2, 5 }) ticks.Add((m * Math.Pow(10, e), Labels.Number(m * Math.Pow(10, e))));
        }
        return new PlotAxis(Math.Pow(10, e0), Math.Pow(10, e1), true, ticks.OrderBy(t => t.Item1).ToList());
    }

    /// <summary>Categories at 0, 1, 2, … with half a slot of margin either side.</summary>
    public static PlotAxis Categories(IReadOnlyList<string> names) =>
        new(-0.5, names.Count - 0.5, false, names.Select((n, i) => ((double)i, n)).ToList());

    private static double NiceStep(double raw)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }
}
