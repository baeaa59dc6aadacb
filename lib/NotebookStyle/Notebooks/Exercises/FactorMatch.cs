namespace NotebookStyle.Notebooks;

/// <summary>
/// Names the factor by which an answer is off: a ratio that equals a product of small powers of named quantities
/// (4, N, M, …) within a tolerance — "N²·M²", "1/4", "4·N²·M²". Checks choose sizes whose powers cannot coincide
/// (N = 3 and M = 20: 2, 3 and 5 are distinct primes), so the match is exact and unique.
/// </summary>
public static class FactorMatch
{
    /// <summary>The product of powers (exponents −2 … 2) of <paramref name="quantities"/> equal to <paramref name="ratio"/>, written out; null when none is.</summary>
    public static string? Describe(double ratio, IReadOnlyList<(string Symbol, double Value)> quantities, double tolerance = 1e-3)
    {
        if (!(ratio > 0) || double.IsInfinity(ratio)) return null;
        string? best = null;
        double bestError = tolerance;
        var exponents = new int[quantities.Count];
        void Search(int i, double product)
        {
            if (i == quantities.Count)
            {
                double error = Math.Abs(product / ratio - 1);
                if (error < bestError && exponents.Any(e => e != 0)) { bestError = error; best = Write(quantities, exponents); }
                return;
            }
            for (int e = -2; e <= 2; e++)
            {
                exponents[i] = e;
                Search(i + 1, product * Math.Pow(quantities[i].Value, e));
            }
            exponents[i] = 0;
        }
        Search(0, 1);
        return best;
    }

    private static string Write(IReadOnlyList<(string Symbol, double Value)> quantities, int[] exponents)
    {
        static string Power(string symbol, int e) => Math.Abs(e) switch { 1 => symbol, 2 => symbol + "²", _ => $"{symbol}^{Math.Abs(e)}" };
        var up = quantities.Select((q, i) => (q.Symbol, E: exponents[i])).Where(x => x.E > 0).Select(x => Power(x.Symbol, x.E)).ToList();
        var down = quantities.Select((q, i) => (q.Symbol, E: exponents[i])).Where(x => x.E < 0).Select(x => Power(x.Symbol, x.E)).ToList();
        string top = up.Count == 0 ? "1" : string.Join("·", up);
        if (down.Count == 0) return top;
        string bottom = string.Join("·", down);
        return down.Count > 1 ? $"{top}/({bottom})" : $"{top}/{bottom}";
    }
}
