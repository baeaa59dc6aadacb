using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookStyle.Imaging;

/// <summary>
/// Bounded image loading: JPEG, PNG and WebP only; the header's declared size is checked against a pixel
/// budget before any pixel is decoded (ImageSharp 2.1 has had crafted-image CVEs); EXIF orientation is
/// applied; grey, 16-bit, CMYK/YCCK JPEG and palette images are converted to 8-bit RGB; transparency is
/// composited over white.
/// </summary>
public static class ImageLoader
{
    private static readonly Configuration Formats = new(new JpegConfigurationModule(), new PngConfigurationModule(), new WebpConfigurationModule());

    /// <summary>Loads <paramref name="path"/> as 8-bit RGB, upright.</summary>
    /// <exception cref="UnreadableImageException">Missing, not an image, corrupt or truncated.</exception>
    /// <exception cref="UnsupportedImageException">An image format other than JPEG, PNG or WebP.</exception>
    /// <exception cref="ImageTooLargeException">Over the budget in <paramref name="options"/>.</exception>
    public static Image<Rgb24> Load(string path, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        if (!File.Exists(path)) throw new UnreadableImageException($"Image file not found: {path}");
        long bytes = new FileInfo(path).Length;
        if (bytes > options.MaxFileBytes)
            throw new ImageTooLargeException($"{path} is {bytes:N0} bytes, over the limit of {options.MaxFileBytes:N0}.");
        using var stream = File.OpenRead(path);
        return Load(stream, path, options);
    }

    /// <summary>Loads an image from <paramref name="stream"/>; <paramref name="name"/> is used in messages.</summary>
    public static Image<Rgb24> Load(Stream stream, string name, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        Identify(stream, name, options);
        try
        {
            stream.Position = 0;
            using var rgba = Image.Load<Rgba32>(Formats, stream);
            if (rgba.Frames.Count > 1) throw new UnsupportedImageException($"{name} is animated ({rgba.Frames.Count} frames); use a still image.");
            rgba.Mutate(x => x.AutoOrient());
            var rgb = new Image<Rgb24>(rgba.Width, rgba.Height);
            // Transparency is composited over white: a style image with a transparent background reads as paper.
            rgba.ProcessPixelRows(rgb, (src, dst) =>
            {
                for (int y = 0; y < src.Height; y++)
                {
                    var s = src.GetRowSpan(y);
                    var d = dst.GetRowSpan(y);
                    for (int x = 0; x < s.Length; x++)
                    {
                        int a = s[x].A, w = 255 * (255 - a);
                        d[x] = new Rgb24((byte)((s[x].R * a + w + 127) / 255), (byte)((s[x].G * a + w + 127) / 255), (byte)((s[x].B * a + w + 127) / 255));
                    }
                }
            });
            return rgb;
        }
        catch (NotebookStyleException) { throw; }
        catch (Exception ex) when (ex is ImageFormatException or InvalidDataException or IOException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new UnreadableImageException($"{name} could not be decoded ({ex.GetType().Name}: {ex.Message}); the file may be corrupt or truncated.", ex);
        }
    }

    /// <summary>Reads only the header: format, width and height, and checks them against the budget.</summary>
    public static (int Width, int Height, string Format) Identify(string path, ImageLoadOptions? options = null)
    {
        if (!File.Exists(path)) throw new UnreadableImageException($"Image file not found: {path}");
        using var stream = File.OpenRead(path);
        return Identify(stream, path, options ?? ImageLoadOptions.Default);
    }

    private static (int Width, int Height, string Format) Identify(Stream stream, string name, ImageLoadOptions options)
    {
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(Configuration.Default, stream, out format);
        }
        catch (Exception ex) when (ex is ImageFormatException or InvalidDataException or IOException or ArgumentException or IndexOutOfRangeException)
        {
            throw new UnreadableImageException($"{name} has an unreadable image header ({ex.Message}).", ex);
        }
        if (info is null || format is null)
            throw new UnreadableImageException($"{name} is not an image (no known format recognised its header).");
        if (format is not (JpegFormat or PngFormat or WebpFormat))
            throw new UnsupportedImageException($"{name} is a {format.Name} image; only JPEG, PNG and WebP are accepted.");
        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0)
            throw new UnreadableImageException($"{name} declares an empty size {info.Width}×{info.Height}.");
        if (pixels > options.MaxPixels)
            throw new ImageTooLargeException($"{name} declares {info.Width}×{info.Height} = {pixels:N0} pixels, over the budget of {options.MaxPixels:N0}; nothing was decoded.");
        return (info.Width, info.Height, format.Name);
    }

    /// <summary>Resizes so that the longer side is <paramref name="longSide"/> pixels (up or down), keeping the aspect ratio.</summary>
    public static Image<Rgb24> ResizeLongSide(Image<Rgb24> image, int longSide)
    {
        if (longSide < 1) throw new NotebookStyleException($"Size must be at least 1 pixel, got {longSide}.");
        double scale = (double)longSide / Math.Max(image.Width, image.Height);
        int w = Math.Max(1, (int)Math.Round(image.Width * scale)), h = Math.Max(1, (int)Math.Round(image.Height * scale));
        return image.Clone(x => x.Resize(w, h, KnownResamplers.Bicubic));
    }

    /// <summary>Resizes to exactly <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static Image<Rgb24> Resize(Image<Rgb24> image, int width, int height) =>
        image.Clone(x => x.Resize(width, height, KnownResamplers.Bicubic));
}
