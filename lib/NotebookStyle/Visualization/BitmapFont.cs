using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Visualization;

/// <summary>
/// A tiny fixed-width bitmap font (X11 misc-fixed 6×13, public domain) for labels on rendered images: ImageSharp 2.1
/// draws no text without ImageSharp.Drawing. ASCII plus ° ² · × – → −; other characters print as '?'.
/// </summary>
public static class BitmapFont
{
    private static readonly Dictionary<char, int> Index = BitmapFontData.Characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    private static readonly int FirstColumn, LastColumn;

    static BitmapFont()
    {
        int used = 0;
        foreach (byte row in BitmapFontData.Rows) used |= row;
        // Columns are bits 7 (left) … 0 (right) of each row byte.
        FirstColumn = 7 - (int)Math.Floor(Math.Log2(used));
        LastColumn = 7 - System.Numerics.BitOperations.TrailingZeroCount(used);
    }

    /// <summary>Height of a line of text at scale 1, in pixels.</summary>
    public static int LineHeight => BitmapFontData.Height;

    /// <summary>Horizontal advance per character at scale 1, in pixels.</summary>
    public static int Advance => LastColumn - FirstColumn + 1;

    /// <summary>Width and height of <paramref name="text"/> (one line) at <paramref name="scale"/>.</summary>
    public static (int Width, int Height) Measure(string text, int scale = 1) => (text.Length * Advance * scale, LineHeight * scale);

    /// <summary>Draws one line of <paramref name="text"/> with its top-left corner at (x, y); pixels outside the image are skipped.</summary>
    public static void Draw(Image<Rgb24> image, int x, int y, string text, Rgb24 color, int scale = 1)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), "Scale must be at least 1.");
        for (int i = 0; i < text.Length; i++)
        {
            int glyph = Index.TryGetValue(text[i], out var g) ? g : Index['?'];
            int gx = x + i * Advance * scale;
            for (int row = 0; row < BitmapFontData.Height; row++)
            {
                byte bits = BitmapFontData.Rows[glyph * BitmapFontData.Height + row];
                if (bits == 0) continue;
                for (int col = FirstColumn; col <= LastColumn; col++)
                {
                    if ((bits & (0x80 >> col)) == 0) continue;
                    for (int sy = 0; sy < scale; sy++)
                    for (int sx = 0; sx < scale; sx++)
                    {
                        int px = gx + (col - FirstColumn) * scale + sx, py = y + row * scale + sy;
                        if (px >= 0 && py >= 0 && px < image.Width && py < image.Height) image[px, py] = color;
                    }
                }
            }
        }
    }

    /// <summary>Shortens <paramref name="text"/> with an ellipsis-like "~" so that it fits <paramref name="maxWidth"/> pixels.</summary>
    public static string Fit(string text, int maxWidth, int scale = 1)
    {
        int max = Math.Max(0, maxWidth / (Advance * scale));
        if (text.Length <= max) return text;
        return max <= 1 ? text[..max] : text[..(max - 1)] + "~";
    }
}
