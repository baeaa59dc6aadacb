using System.Globalization;

namespace NotebookStyle.Notebooks;

/// <summary>
/// A lesson's demonstration checked by its own figure: the text predicts an effect (SSIM falls as the style weight
/// grows, two regions' colour ratios flip), the run measures it, and the cell asserts its direction and size. A passed
/// expectation prints one line, "✔ claim: 0.69 → 0.31 (…)"; a failed one throws <see cref="DemonstrationFailedException"/>
/// with the same line marked ✘, so that the cell — and the lesson run — fails instead of showing a page whose picture
/// contradicts its text.
/// </summary>
public static class Demonstration
{
    /// <summary>
    /// Expects <paramref name="figures"/> (in the order the demonstration runs them) to fall at every step and by at
    /// least <paramref name="by"/> from the first to the last.
    /// </summary>
    /// <param name="claim">What the text predicts, e.g. "SSIM to the photo falls as the style weight grows".</param>
    /// <param name="figures">The labelled figures, at least two.</param>
    /// <param name="by">The smallest fall from first to last that counts (positive).</param>
    /// <param name="log">Where the line goes (default: the cell's output).</param>
    /// <returns>The line printed.</returns>
    /// <exception cref="DemonstrationFailedException">A step rose, or the whole fall is smaller than <paramref name="by"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two figures, a figure that is not finite, or <paramref name="by"/> not positive.</exception>
    public static string Falls(string claim, IReadOnlyList<(string Label, double Value)> figures, double by, Action<string>? log = null) =>
        Monotonic(claim, figures, by, falling: true, log);

    /// <summary>Expects <paramref name="figures"/> to rise at every step and by at least <paramref name="by"/> from the first to the last.</summary>
    /// <inheritdoc cref="Falls(string, IReadOnlyList{ValueTuple{string, double}}, double, Action{string}?)"/>
    public static string Rises(string claim, IReadOnlyList<(string Label, double Value)> figures, double by, Action<string>? log = null) =>
        Monotonic(claim, figures, by, falling: false, log);

    /// <summary>Expects <paramref name="after"/> to be below <paramref name="before"/> by at least <paramref name="by"/>.</summary>
    /// <param name="claim">What the text predicts.</param>
    /// <param name="before">The figure it starts from (e.g. the baseline's).</param>
    /// <param name="after">The figure that should be lower.</param>
    /// <param name="by">The smallest difference that counts (positive).</param>
    /// <param name="log">Where the line goes (default: the cell's output).</param>
    /// <returns>The line printed.</returns>
    /// <exception cref="DemonstrationFailedException">The difference is smaller than <paramref name="by"/>, or of the wrong sign.</exception>
    /// <exception cref="ArgumentException">A figure that is not finite, or <paramref name="by"/> not positive.</exception>
    public static string Falls(string claim, double before, double after, double by, Action<string>? log = null) =>
        Falls(claim, [("", before), ("", after)], by, log);

    /// <summary>Expects <paramref name="after"/> to be above <paramref name="before"/> by at least <paramref name="by"/>.</summary>
    /// <inheritdoc cref="Falls(string, double, double, double, Action{string}?)"/>
    public static string Rises(string claim, double before, double after, double by, Action<string>? log = null) =>
        Rises(claim, [("", before), ("", after)], by, log);

    /// <summary>Expects every one of <paramref name="figures"/> to lie within ±<paramref name="limit"/> (e.g. a correlation that should be about 0).</summary>
    /// <param name="claim">What the text predicts.</param>
    /// <param name="figures">The labelled figures, at least one.</param>
    /// <param name="limit">The largest size that counts as "about 0" (positive).</param>
    /// <param name="log">Where the line goes (default: the cell's output).</param>
    /// <returns>The line printed.</returns>
    /// <exception cref="DemonstrationFailedException">A figure lies outside ±<paramref name="limit"/>.</exception>
    /// <exception cref="ArgumentException">No figures, a figure that is not finite, or <paramref name="limit"/> not positive.</exception>
    public static string Within(string claim, IReadOnlyList<(string Label, double Value)> figures, double limit, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        if (figures.Count < 1) throw new ArgumentException("A demonstration needs at least one figure.", nameof(figures));
        if (!(limit > 0) || double.IsInfinity(limit)) throw new ArgumentException($"The limit must be positive and finite; got {limit}.", nameof(limit));
        RequireFinite(figures);
        var F = FormatFor(figures, limit);
        string series = string.Join(", ", figures.Select(f => (f.Label.Length > 0 ? f.Label + " " : "") + F(f.Value)));
        for (int i = 0; i < figures.Count; i++)
            if (Math.Abs(figures[i].Value) > limit)
                throw Failed(claim, series, $"expected every figure within ±{F(limit)}, but {Name(figures[i], i)} is {F(figures[i].Value)}");
        string line = $"✔ {claim}: {series} (each within ±{F(limit)})";
        (log ?? Console.WriteLine)(line);
        return line;
    }

    private static string Monotonic(string claim, IReadOnlyList<(string Label, double Value)> figures, double by, bool falling, Action<string>? log)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        if (figures.Count < 2) throw new ArgumentException($"A demonstration compares at least two figures; got {figures.Count}.", nameof(figures));
        if (!(by > 0) || double.IsInfinity(by)) throw new ArgumentException($"The expected change must be positive and finite; got {by}.", nameof(by));
        RequireFinite(figures);

        // Signed so that the expected direction is positive.
        double Change(double from, double to) => falling ? from - to : to - from;
        string verb = falling ? "fall" : "rise";
        var F = FormatFor(figures, by);
        string series = string.Join(" → ", figures.Select(f => (f.Label.Length > 0 ? f.Label + " " : "") + F(f.Value)));
        double total = Change(figures[0].Value, figures[^1].Value);
        string expected = $"a {verb} of at least {F(by)}" + (figures.Count > 2 ? " and no step against it" : "");

        for (int i = 1; i < figures.Count && figures.Count > 2; i++)
            if (Change(figures[i - 1].Value, figures[i].Value) < 0)
                throw Failed(claim, series, $"expected {expected}, but {Name(figures[i - 1], i - 1)} → {Name(figures[i], i)} went the other way");
        if (total < by)
            throw Failed(claim, series, $"expected {expected}, got {(total < 0 ? $"the opposite, {F(-total)}" : $"only {F(total)}")}");

        string line = $"✔ {claim}: {series} ({verb} {F(total)}, at least {F(by)} expected)";
        (log ?? Console.WriteLine)(line);
        return line;
    }

    private static void RequireFinite(IReadOnlyList<(string Label, double Value)> figures)
    {
        foreach (var (label, value) in figures)
            if (!double.IsFinite(value)) throw new ArgumentException($"The figure{(label.Length > 0 ? $" of '{label}'" : "")} is {value}, not a number to compare.", nameof(figures));
    }

    private static string Name((string Label, double Value) figure, int index) => figure.Label.Length > 0 ? figure.Label : $"figure {index + 1}";

    private static DemonstrationFailedException Failed(string claim, string series, string why) => new($"✘ {claim}: {series}: {why}.");

    /// <summary>
    /// How a demonstration's numbers print: whole numbers (counts such as positions or pixels, when every figure and the
    /// threshold are whole) without decimals; otherwise two decimals, or two significant digits below 0.01.
    /// </summary>
    private static Func<double, string> FormatFor(IReadOnlyList<(string Label, double Value)> figures, double threshold) =>
        figures.All(f => IsWhole(f.Value)) && IsWhole(threshold)
            ? value => value.ToString("0", CultureInfo.InvariantCulture)
            : value => value.ToString(Math.Abs(value) >= 0.01 || value == 0 ? "0.00" : "G2", CultureInfo.InvariantCulture);

    private static bool IsWhole(double value) => value == Math.Round(value) && Math.Abs(value) < 1e15;
}
