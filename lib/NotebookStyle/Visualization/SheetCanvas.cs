using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace NotebookStyle.Visualization;

/// <summary>
/// A white picture that sheets and grids are laid out on: pictures pasted at pixel positions and one-line labels in
/// <see cref="ChartFont"/>, drawn by SkiaSharp. <see cref="ToImage"/> hands the result out as an ImageSharp image.
/// </summary>
internal sealed class SheetCanvas : IDisposable
{
    private const float FontSize = 13;
    private static readonly SKColor Ink = new(40, 40, 40);
    private static readonly Lazy<SKFont> Font = new(() => new SKFont(ChartFont.Regular, FontSize) { Edging = SKFontEdging.Antialias, Subpixel = true });
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;

    public SheetCanvas(int width, int height)
    {
        _bitmap = SkiaPixels.NewBitmap(width, height);
        _canvas = new SKCanvas(_bitmap);
    }

    /// <summary>Height of one line of label text in pixels (ascent, descent and leading of the font).</summary>
    public static int LineHeight { get; } = (int)Math.Ceiling(Font.Value.Spacing);

    /// <summary>Width of <paramref name="text"/> in pixels, in the label font or <paramref name="font"/>.</summary>
    public static int Measure(string text, SKFont? font = null) => (int)Math.Ceiling((font ?? Font.Value).MeasureText(text));

    /// <summary><paramref name="text"/>, shortened with "…" so that it fits <paramref name="maxWidth"/> pixels.</summary>
    public static string Fit(string text, int maxWidth, SKFont? font = null)
    {
        if (Measure(text, font) <= maxWidth) return text;
        for (int n = text.Length - 1; n > 0; n--)
        {
            string shortened = text[..n].TrimEnd() + "…";
            if (Measure(shortened, font) <= maxWidth) return shortened;
        }
        return "";
    }

    /// <summary>Draws <paramref name="image"/> with its top-left corner at (x, y), at its own size.</summary>
    public void Paste(Image<Rgb24> image, int x, int y)
    {
        using var bitmap = SkiaPixels.ToBitmap(image);
        _canvas.DrawBitmap(bitmap, x, y);
    }

    /// <summary>Draws <paramref name="image"/> scaled to <paramref name="width"/> × <paramref name="height"/>, each source pixel a sharp block.</summary>
    public void PasteBlocks(Image<Rgb24> image, int x, int y, int width, int height)
    {
        using var bitmap = SkiaPixels.ToBitmap(image);
        using var source = SKImage.FromBitmap(bitmap);
        _canvas.DrawImage(source, SKRect.Create(x, y, width, height), new SKSamplingOptions(SKFilterMode.Nearest), null);
    }

    /// <summary>One line of <paramref name="text"/> with its top-left corner at (x, y), shortened to <paramref name="maxWidth"/>.</summary>
    public void Text(int x, int y, string text, int maxWidth = int.MaxValue)
    {
        using var paint = new SKPaint { Color = Ink, IsAntialias = true };
        _canvas.DrawText(Fit(text, maxWidth), x, y - Font.Value.Metrics.Ascent, SKTextAlign.Left, Font.Value, paint);
    }

    /// <summary>One line of <paramref name="text"/> centred on <paramref name="centerX"/>, top at y, shortened to <paramref name="maxWidth"/>.</summary>
    public void TextCentered(int centerX, int y, string text, int maxWidth)
    {
        string fitted = Fit(text, maxWidth);
        Text(centerX - Measure(fitted) / 2, y, fitted);
    }

    /// <summary>The picture as it stands.</summary>
    public Image<Rgb24> ToImage()
    {
        _canvas.Flush();
        return SkiaPixels.ToImage(_bitmap);
    }

    public void Dispose()
    {
        _canvas.Dispose();
        _bitmap.Dispose();
    }
}
