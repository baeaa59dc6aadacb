using System.Globalization;

namespace NotebookStyle.Visualization;

/// <summary>Short number formatting for axis ticks and captions.</summary>
public static class Labels
{
    /// <summary>At most about 6 characters: 0, 12.5, 0.0031 → 3.1e-3, 125000 → 1.25e5.</summary>
    public static string Number(double v)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        double a = Math.Abs(v);
        var ci = CultureInfo.InvariantCulture;
        if (a >= 1e-2 && a < 1e4) return v.ToString(a >= 100 ? "0" : a >= 10 ? "0.#" : a >= 1 ? "0.##" : "0.###", ci);
        int e = (int)Math.Floor(Math.Log10(a));
        double m = v / Math.Pow(10, e);
        return $"{m.ToString("0.#", ci)}e{e}";
    }
}
