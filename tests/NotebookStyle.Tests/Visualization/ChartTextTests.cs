using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Visualization;

/// <summary>Labels come from the embedded font, whatever the machine has installed, and really reach the pixels.</summary>
public class ChartTextTests
{
    private static int DarkPixels(Image<Rgb24> image, int x0, int y0, int x1, int y1)
    {
        int n = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(image.Height, y1); y++)
        for (int x = Math.Max(0, x0); x < Math.Min(image.Width, x1); x++)
            if (image[x, y].R + image[x, y].G + image[x, y].B < 3 * 128) n++;
        return n;
    }

    [Fact]
    public void ScottPlotResolvesTheEmbeddedSubsetNotASystemFont()
    {
        var plot = new ScottPlot.Plot();
        ChartFont.Apply(plot);
        var face = ScottPlot.Fonts.GetTypeface(ChartFont.Family, false, false);
        Assert.Equal("DejaVu Sans", face.FamilyName);
        // The subset, not the system's DejaVu Sans (~6,000 glyphs): the same face the library embeds.
        Assert.Same(ChartFont.Regular, face);
        Assert.InRange(face.GlyphCount, 500, 1000);
        Assert.Same(ChartFont.Bold, ScottPlot.Fonts.GetTypeface(ChartFont.Family, true, false));
        // Names other than the library's are left to ScottPlot's own resolvers.
        Assert.NotSame(ChartFont.Regular, ScottPlot.Fonts.GetTypeface("DejaVu Serif", false, false));
    }

    [Fact]
    public void ChartTitlesAndSheetCaptionsAreDrawn()
    {
        Series[] series = [new("a", [1.0, 2], [1.0, 2])];
        using var titled = new LineFigure("A title of some length", series) { Width = 400, Height = 240 }.ToImage();
        using var untitled = new LineFigure("", series) { Width = 400, Height = 240 }.ToImage();
        Assert.True(DarkPixels(titled, 0, 0, 400, 24) > 50);
        Assert.Equal(0, DarkPixels(untitled, 0, 0, 400, 8));

        using var white = new Image<Rgb24>(60, 20, new Rgb24(255, 255, 255));
        using var sheet = ImageSheet.Row([new Panel(white, "caption")], height: 0, spacing: 4);
        Assert.True(DarkPixels(sheet, 0, 24, sheet.Width, sheet.Height) > 20);
        Assert.Equal(0, DarkPixels(sheet, 0, 0, sheet.Width, 24));
    }

    [Fact]
    public void LabelsTooLongForTheirRoomAreShortenedWithAnEllipsis()
    {
        Assert.Equal("short", SheetCanvas.Fit("short", 200));
        string fitted = SheetCanvas.Fit("a caption far too long for forty pixels", 40);
        Assert.EndsWith("…", fitted);
        Assert.InRange(SheetCanvas.Measure(fitted), 1, 40);
        Assert.True(SheetCanvas.Measure("WWW") > SheetCanvas.Measure("iii"));
        Assert.InRange(SheetCanvas.LineHeight, 12, 20);
    }
}
