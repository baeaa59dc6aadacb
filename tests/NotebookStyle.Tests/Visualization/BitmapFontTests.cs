using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Visualization;

public class BitmapFontTests
{
    private static readonly Rgb24 White = new(255, 255, 255), Black = new(0, 0, 0);

    private static Image<Rgb24> Blank(int w, int h)
    {
        var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[x, y] = White;
        return img;
    }

    private static int Ink(Image<Rgb24> img, int x0, int y0, int x1, int y1)
    {
        int n = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(img.Height, y1); y++)
        for (int x = Math.Max(0, x0); x < Math.Min(img.Width, x1); x++)
            if (img[x, y].Equals(Black)) n++;
        return n;
    }

    [Fact]
    public void TextIsDrawnInsideItsMeasuredBox()
    {
        using var img = Blank(100, 40);
        var (w, h) = BitmapFont.Measure("A1", 2);
        BitmapFont.Draw(img, 10, 5, "A1", Black, 2);
        int inside = Ink(img, 10, 5, 10 + w, 5 + h);
        Assert.True(inside > 20, $"only {inside} ink pixels");
        Assert.Equal(inside, Ink(img, 0, 0, 100, 40));
        Assert.Equal(2 * 2 * BitmapFont.Advance, w);
        Assert.Equal(2 * BitmapFont.LineHeight, h);
    }

    [Fact]
    public void DifferentCharactersDifferAndUnknownOnesPrintAsQuestionMark()
    {
        using var a = Blank(20, 20);
        using var b = Blank(20, 20);
        using var q = Blank(20, 20);
        using var unknown = Blank(20, 20);
        BitmapFont.Draw(a, 0, 0, "A", Black);
        BitmapFont.Draw(b, 0, 0, "B", Black);
        BitmapFont.Draw(q, 0, 0, "?", Black);
        BitmapFont.Draw(unknown, 0, 0, "\u4e2d", Black);
        Assert.NotEqual(Pixels(a), Pixels(b));
        Assert.Equal(Pixels(q), Pixels(unknown));
    }

    [Fact]
    public void DrawingOffTheImageIsClipped()
    {
        using var img = Blank(5, 5);
        BitmapFont.Draw(img, -3, -3, "WWW", Black, 3);
        Assert.True(Ink(img, 0, 0, 5, 5) >= 0);
    }

    [Fact]
    public void FitShortensWithAMarker()
    {
        Assert.Equal("abc", BitmapFont.Fit("abc", 100));
        string fitted = BitmapFont.Fit("abcdefghij", BitmapFont.Advance * 5);
        Assert.Equal(5, fitted.Length);
        Assert.EndsWith("~", fitted);
    }

    private static string Pixels(Image<Rgb24> img)
    {
        var sb = new System.Text.StringBuilder();
        for (int y = 0; y < img.Height; y++) for (int x = 0; x < img.Width; x++) sb.Append(img[x, y].Equals(Black) ? '#' : '.');
        return sb.ToString();
    }
}
