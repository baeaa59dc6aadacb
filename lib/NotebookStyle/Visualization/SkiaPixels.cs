using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace NotebookStyle.Visualization;

/// <summary>Copies pixels between ImageSharp images (what the library hands out) and SkiaSharp bitmaps (what it draws on).</summary>
internal static class SkiaPixels
{
    /// <summary>An opaque RGBA copy of <paramref name="image"/>.</summary>
    public static SKBitmap ToBitmap(Image<Rgb24> image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        for (int y = 0; y < image.Height; y++)
        {
            // Row memory (not ProcessPixelRows): the bitmap's span cannot enter a lambda.
            var row = image.DangerousGetPixelRowMemory(y).Span;
            var target = pixels.Slice(y * stride, 4 * row.Length);
            for (int x = 0; x < row.Length; x++)
            {
                target[4 * x] = row[x].R;
                target[4 * x + 1] = row[x].G;
                target[4 * x + 2] = row[x].B;
                target[4 * x + 3] = 255;
            }
        }
        return bitmap;
    }

    /// <summary>The RGB pixels of <paramref name="bitmap"/> (which must be RGBA 8888, as <see cref="NewBitmap"/> makes).</summary>
    public static Image<Rgb24> ToImage(SKBitmap bitmap)
    {
        if (bitmap.ColorType != SKColorType.Rgba8888) throw new ArgumentException($"Expected an RGBA 8888 bitmap, got {bitmap.ColorType}.", nameof(bitmap));
        var image = new Image<Rgb24>(bitmap.Width, bitmap.Height);
        var pixels = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        for (int y = 0; y < image.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            var source = pixels.Slice(y * stride, 4 * row.Length);
            for (int x = 0; x < row.Length; x++) row[x] = new Rgb24(source[4 * x], source[4 * x + 1], source[4 * x + 2]);
        }
        return image;
    }

    /// <summary>An opaque white RGBA bitmap.</summary>
    public static SKBitmap NewBitmap(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Math.Max(1, width), Math.Max(1, height), SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        return bitmap;
    }
}
