using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookStyle.Visualization;

/// <summary>Small raster drawing helpers on ImageSharp images (ImageSharp.Drawing is not used).</summary>
internal static class Canvas
{
    public static readonly Rgb24 White = new(255, 255, 255);
    public static readonly Rgb24 Black = new(0, 0, 0);
    public static readonly Rgb24 Ink = new(40, 40, 40);
    public static readonly Rgb24 GridLine = new(225, 225, 225);

    /// <summary>Plotly's default trace colours, so that the static picture matches the interactive chart.</summary>
    public static readonly Rgb24[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28),
        new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f),
    ];

    public static Image<Rgb24> Blank(int width, int height, Rgb24? background = null)
    {
        var image = new Image<Rgb24>(Math.Max(1, width), Math.Max(1, height));
        var bg = background ?? White;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++) rows.GetRowSpan(y).Fill(bg);
        });
        return image;
    }

    public static void Paste(Image<Rgb24> target, Image<Rgb24> source, int x, int y) =>
        target.Mutate(c => c.DrawImage(source, new Point(x, y), 1f));

    public static void FillRect(Image<Rgb24> image, int x0, int y0, int x1, int y1, Rgb24 color)
    {
        x0 = Math.Max(0, x0); y0 = Math.Max(0, y0);
        x1 = Math.Min(image.Width, x1); y1 = Math.Min(image.Height, y1);
        for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            image[x, y] = color;
    }

    /// <summary>A line of the given thickness (square brush, Bresenham).</summary>
    public static void Line(Image<Rgb24> image, double fx0, double fy0, double fx1, double fy1, Rgb24 color, int thickness = 1)
    {
        int x0 = (int)Math.Round(fx0), y0 = (int)Math.Round(fy0), x1 = (int)Math.Round(fx1), y1 = (int)Math.Round(fy1);
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        int lo = -(thickness - 1) / 2, hi = thickness / 2;
        for (int guard = 0; guard < 100_000; guard++)
        {
            FillRect(image, x0 + lo, y0 + lo, x0 + hi + 1, y0 + hi + 1, color);
            if (x0 == x1 && y0 == y1) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    public static void Text(Image<Rgb24> image, int x, int y, string text, Rgb24? color = null, int scale = 1) =>
        BitmapFont.Draw(image, x, y, text, color ?? Ink, scale);

    public static void TextCentered(Image<Rgb24> image, int centerX, int y, string text, int maxWidth, Rgb24? color = null)
    {
        string fitted = BitmapFont.Fit(text, maxWidth);
        int w = BitmapFont.Measure(fitted).Width;
        Text(image, centerX - w / 2, y, fitted, color);
    }
}
