using ScottPlot;
using SkiaSharp;

namespace NotebookStyle.Visualization;

/// <summary>
/// The font of every label the library draws (charts, sheets, grids): a subset of DejaVu Sans embedded in this
/// assembly (see Visualization/Fonts/README.md), so that text renders where no system font is installed. ScottPlot
/// finds it by <see cref="Family"/> through a font resolver registered on first use; other ScottPlot users in the
/// same process are not affected (the name is this library's own).
/// </summary>
internal static class ChartFont
{
    /// <summary>The family name charts ask ScottPlot for.</summary>
    public const string Family = "NotebookStyle Sans";

    private static readonly Lazy<SKTypeface> RegularFace = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Load("DejaVuSans-Bold.ttf"));
    private static readonly Lazy<bool> Registered = new(() =>
    {
        lock (Fonts.FontResolvers) Fonts.FontResolvers.Insert(0, new Resolver());
        return true;
    });

    /// <summary>The regular face.</summary>
    public static SKTypeface Regular => RegularFace.Value;

    /// <summary>The bold face (titles).</summary>
    public static SKTypeface Bold => BoldFace.Value;

    /// <summary>Makes <see cref="Family"/> known to ScottPlot (once per process) and sets it on every label of <paramref name="plot"/>.</summary>
    public static void Apply(Plot plot)
    {
        _ = Registered.Value;
        plot.Font.Set(Family);
        // The legend would otherwise look for a system font that has the glyphs of each entry.
        plot.Legend.SetBestFontOnEachRender = false;
        plot.Legend.FontName = Family;
    }

    private static SKTypeface Load(string file)
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream($"NotebookStyle.Fonts.{file}")
            ?? throw new NotebookStyleException($"The embedded font {file} is missing from NotebookStyle.dll.");
        return SKTypeface.FromStream(stream)
            ?? throw new NotebookStyleException($"The embedded font {file} could not be read.");
    }

    /// <summary>Answers ScottPlot's requests for <see cref="Family"/>; any other name goes on to the next resolver.</summary>
    private sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == Family ? (bold ? Bold : Regular) : null;
    }
}
