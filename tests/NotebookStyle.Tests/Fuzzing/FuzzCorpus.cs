using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Fuzzing;

/// <summary>
/// The seed files the fuzzer mutates: small images (a gradient with a transparent corner) in every kind the loader
/// accepts — PNG (RGB, RGBA, grey 16-bit, palette, interlaced), JPEG (4:2:0, 4:4:4, grey) and WebP (lossy, lossless).
/// Made in memory with the same encoder settings each time, so a seed reproduces its inputs.
/// </summary>
public static class FuzzCorpus
{
    public static IReadOnlyList<byte[]> Create()
    {
        using var image = new Image<Rgba32>(24, 16);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                image[x, y] = new Rgba32((byte)(x * 10), (byte)(y * 15), (byte)((x + y) * 6), (byte)(x < 4 && y < 4 ? 0 : 255));
        IImageEncoder[] encoders =
        [
            new PngEncoder { ColorType = PngColorType.Rgb },
            new PngEncoder { ColorType = PngColorType.RgbWithAlpha },
            new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 },
            new PngEncoder { ColorType = PngColorType.Palette },
            new PngEncoder { ColorType = PngColorType.Rgb, InterlaceMethod = PngInterlaceMode.Adam7 },
            new JpegEncoder { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 },
            new JpegEncoder { Quality = 95, ColorType = JpegColorType.YCbCrRatio444 },
            new JpegEncoder { Quality = 75, ColorType = JpegColorType.Luminance },
            new WebpEncoder { FileFormat = WebpFileFormatType.Lossy },
            new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        ];
        return encoders.Select(encoder =>
        {
            using var ms = new MemoryStream();
            image.Save(ms, encoder);
            return ms.ToArray();
        }).ToList();
    }
}
