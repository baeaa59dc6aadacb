using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookStyle.Imaging;

/// <summary>
/// Bounded image loading: JPEG, PNG and WebP only. In order, before any pixel is decoded: the file size is checked,
/// the format is recognised from its signature (other formats are refused by name without running their decoder),
/// the header's declared size is checked against a pixel budget (ImageSharp 2.1 has had crafted-image CVEs), and the
/// container is checked to be whole (ImageSharp 2.1 silently decodes truncated files). Then EXIF orientation is
/// applied; grey, 16-bit, palette and CMYK/YCCK JPEG images are converted to 8-bit RGB (16-bit values are rounded to
/// the nearest 8-bit value); transparency is composited over white. Animated WebP is refused.
/// </summary>
public static class ImageLoader
{
    /// <summary>Only these three decoders ever see a file's bytes.</summary>
    private static readonly Configuration Formats = new(new JpegConfigurationModule(), new PngConfigurationModule(), new WebpConfigurationModule());

    /// <summary>Every format ImageSharp knows, used only to name a refused format from its signature (no decoding).</summary>
    private static readonly Configuration Detection = Configuration.Default;

    /// <summary>Loads <paramref name="path"/> as 8-bit RGB, upright.</summary>
    /// <exception cref="UnreadableImageException">Missing, not an image, corrupt or truncated.</exception>
    /// <exception cref="UnsupportedImageException">An image format other than JPEG, PNG or WebP, or an animated WebP.</exception>
    /// <exception cref="ImageTooLargeException">Over the budget in <paramref name="options"/>.</exception>
    public static Image<Rgb24> Load(string path, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        return Decode(ReadFile(path, options), path, options);
    }

    /// <summary>
    /// Loads an image from <paramref name="stream"/> (read from its current position to its end, at most
    /// <see cref="ImageLoadOptions.MaxFileBytes"/>; it need not be seekable); <paramref name="name"/> is used in messages.
    /// </summary>
    /// <exception cref="UnreadableImageException">Not an image, corrupt or truncated.</exception>
    /// <exception cref="UnsupportedImageException">An image format other than JPEG, PNG or WebP, or an animated WebP.</exception>
    /// <exception cref="ImageTooLargeException">Over the budget in <paramref name="options"/>.</exception>
    public static Image<Rgb24> Load(Stream stream, string name, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        return Decode(ReadAllBytes(stream, name, options), name, options);
    }

    /// <summary>Loads an image already read into memory (see <see cref="ReadAllBytes(string, ImageLoadOptions?)"/>); <paramref name="name"/> is used in messages.</summary>
    /// <exception cref="UnreadableImageException">Not an image, corrupt or truncated.</exception>
    /// <exception cref="UnsupportedImageException">An image format other than JPEG, PNG or WebP, or an animated WebP.</exception>
    /// <exception cref="ImageTooLargeException">Over the budget in <paramref name="options"/>.</exception>
    public static Image<Rgb24> Load(byte[] bytes, string name, ImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options ??= ImageLoadOptions.Default;
        if (bytes.Length > options.MaxFileBytes)
            throw new ImageTooLargeException($"{name} is {bytes.Length:N0} bytes, over the limit of {options.MaxFileBytes:N0}; nothing was decoded.");
        return Decode(bytes, name, options);
    }

    /// <summary>
    /// Reads <paramref name="path"/> whole into memory, at most <see cref="ImageLoadOptions.MaxFileBytes"/>: a regular file,
    /// or a pipe or device that cannot seek (<c>&lt;(cat photo.jpg)</c>, <c>/dev/stdin</c>), which can be read only once.
    /// </summary>
    /// <exception cref="UnreadableImageException">Missing, a folder, or unreadable.</exception>
    /// <exception cref="ImageTooLargeException">More bytes than the limit.</exception>
    public static byte[] ReadAllBytes(string path, ImageLoadOptions? options = null) => ReadFile(path, options ?? ImageLoadOptions.Default);

    /// <summary>Reads <paramref name="stream"/> from its position to its end, at most <see cref="ImageLoadOptions.MaxFileBytes"/>; it need not be seekable.</summary>
    /// <exception cref="UnreadableImageException">The stream failed.</exception>
    /// <exception cref="ImageTooLargeException">More bytes than the limit.</exception>
    public static byte[] ReadAllBytes(Stream stream, string name, ImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return ReadStream(stream, name, options ?? ImageLoadOptions.Default);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            throw new UnreadableImageException($"{name} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads only the header and checks it against the budget: the format and the upright size (EXIF orientation
    /// applied, so it is the size <see cref="Load(string, ImageLoadOptions?)"/> returns). Truncation is not detected here.
    /// A pipe (a path that cannot seek) is read whole, within the byte limit, and is then used up.
    /// </summary>
    /// <exception cref="UnreadableImageException">Missing, not an image, or an unreadable header.</exception>
    /// <exception cref="UnsupportedImageException">An image format other than JPEG, PNG or WebP, or an animated WebP.</exception>
    /// <exception cref="ImageTooLargeException">Over the budget in <paramref name="options"/>.</exception>
    public static (int Width, int Height, string Format) Identify(string path, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        CheckFileSize(path, options);
        try
        {
            using var stream = File.OpenRead(path);
            if (!stream.CanSeek) return Identify(ReadStream(stream, path, options), path, options);
            var head = new byte[64];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            var header = ReadHeader(stream, head.AsSpan(0, n), path, options);
            return (header.Width, header.Height, header.Format);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UnreadableImageException($"{path} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Like <see cref="Identify(string, ImageLoadOptions?)"/>, for an image already read into memory.</summary>
    /// <exception cref="UnreadableImageException">Not an image, or an unreadable header.</exception>
    /// <exception cref="UnsupportedImageException">An image format other than JPEG, PNG or WebP, or an animated WebP.</exception>
    /// <exception cref="ImageTooLargeException">Over the budget in <paramref name="options"/>.</exception>
    public static (int Width, int Height, string Format) Identify(byte[] bytes, string name, ImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options ??= ImageLoadOptions.Default;
        if (bytes.Length > options.MaxFileBytes)
            throw new ImageTooLargeException($"{name} is {bytes.Length:N0} bytes, over the limit of {options.MaxFileBytes:N0}; nothing was decoded.");
        using var stream = new MemoryStream(bytes, writable: false);
        var header = ReadHeader(stream, bytes, name, options);
        return (header.Width, header.Height, header.Format);
    }

    /// <summary>Resizes so that the longer side is <paramref name="longSide"/> pixels (up or down), keeping the aspect ratio.</summary>
    /// <remarks>The shorter side is rounded to the nearest pixel (halves away from zero), at least 1.</remarks>
    public static Image<Rgb24> ResizeLongSide(Image<Rgb24> image, int longSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (longSide < 1) throw new NotebookStyleException($"Size must be at least 1 pixel, got {longSide}.");
        var (w, h) = LongSideSize(image.Width, image.Height, longSide);
        return Resize(image, w, h);
    }

    /// <summary>The size <see cref="ResizeLongSide"/> gives a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public static (int Width, int Height) LongSideSize(int width, int height, int longSide)
    {
        if (width < 1 || height < 1) throw new NotebookStyleException($"Image size must be positive, got {width}×{height}.");
        if (longSide < 1) throw new NotebookStyleException($"Size must be at least 1 pixel, got {longSide}.");
        if (width >= height)
            return (longSide, Math.Max(1, (int)Math.Round((double)height * longSide / width, MidpointRounding.AwayFromZero)));
        return (Math.Max(1, (int)Math.Round((double)width * longSide / height, MidpointRounding.AwayFromZero)), longSide);
    }

    /// <summary>Resizes to exactly <paramref name="width"/>×<paramref name="height"/> (bicubic); the same size gives an exact copy.</summary>
    public static Image<Rgb24> Resize(Image<Rgb24> image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width < 1 || height < 1) throw new NotebookStyleException($"Size must be at least 1×1 pixel, got {width}×{height}.");
        if (width == image.Width && height == image.Height) return image.Clone();
        return image.Clone(x => x.Resize(width, height, KnownResamplers.Bicubic));
    }

    private static Image<Rgb24> Decode(byte[] bytes, string name, ImageLoadOptions options)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var header = ReadHeader(stream, bytes, name, options);
        if (ImageCompleteness.FindDefect(bytes, header.Format) is string defect)
            throw new UnreadableImageException($"{name} {defect}; refusing a partial image.");
        try
        {
            stream.Position = 0;
            using var rgba = Image.Load<Rgba32>(Formats, stream);
            if (rgba.Frames.Count > 1) throw new UnsupportedImageException($"{name} is animated ({rgba.Frames.Count} frames); use a still image.");
            if (rgba.Width != header.StoredWidth || rgba.Height != header.StoredHeight)
                throw new UnreadableImageException($"{name} decoded as {rgba.Width}×{rgba.Height} although its header declares {header.StoredWidth}×{header.StoredHeight}.");
            rgba.Mutate(x => x.AutoOrient());
            return OverWhite(rgba);
        }
        catch (NotebookStyleException) { throw; }
        catch (NotSupportedException ex)
        {
            throw new UnsupportedImageException($"{name} is a kind of {header.Format} image that is not supported: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A decoder fed a corrupt file may throw anything (ImageFormatException, IndexOutOfRangeException, ...): all mean "unreadable".
            throw new UnreadableImageException($"{name} could not be decoded ({ex.GetType().Name}: {ex.Message}); the file may be corrupt.", ex);
        }
    }

    /// <summary>Transparency is composited over white: a style image with a transparent background reads as paper.</summary>
    private static Image<Rgb24> OverWhite(Image<Rgba32> rgba)
    {
        var rgb = new Image<Rgb24>(rgba.Width, rgba.Height);
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

    private readonly record struct Header(int Width, int Height, int StoredWidth, int StoredHeight, string Format);

    /// <summary>Recognises the format from <paramref name="head"/> and reads the header from <paramref name="stream"/>; no pixel is decoded.</summary>
    private static Header ReadHeader(Stream stream, ReadOnlySpan<byte> head, string name, ImageLoadOptions options)
    {
        if (head.Length == 0) throw new UnreadableImageException($"{name} is empty (0 bytes).");
        var format = Image.DetectFormat(Detection, head);
        if (format is null)
            throw new UnreadableImageException($"{name} is not an image: no known image format recognised its first bytes.");
        if (format is not (JpegFormat or PngFormat or WebpFormat))
            throw new UnsupportedImageException($"{name} is a {format.Name} image; only JPEG, PNG and WebP are accepted.");
        IImageInfo? info;
        try
        {
            info = Image.Identify(Formats, stream);
        }
        catch (NotSupportedException ex)
        {
            // ImageSharp 2.1 refuses animated WebP already while identifying ("Animated webp are not yet supported.").
            throw new UnsupportedImageException($"{name} is a kind of {format.Name} image that is not supported: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new UnreadableImageException($"{name} has an unreadable {format.Name} header ({ex.Message}).", ex);
        }
        if (info is null) throw new UnreadableImageException($"{name} has an unreadable {format.Name} header.");
        if (info.Width <= 0 || info.Height <= 0)
            throw new UnreadableImageException($"{name} declares an empty size {info.Width}×{info.Height}.");
        long pixels = (long)info.Width * info.Height;
        if (pixels > options.MaxPixels)
            throw new ImageTooLargeException($"{name} declares {info.Width}×{info.Height} = {pixels:N0} pixels, over the budget of {options.MaxPixels:N0}; nothing was decoded.");
        // ImageSharp 2.1.13 hangs (1×1, 2×1, 1×2, 2×2) or fails on interlaced PNGs where an Adam7 pass is empty, i.e.
        // narrower or lower than 5 pixels (measured on valid files): refuse them before the decoder spins forever.
        if (format is PngFormat && (info.Width < 5 || info.Height < 5) && info.Metadata.GetPngMetadata().InterlaceMethod == PngInterlaceMode.Adam7)
            throw new UnsupportedImageException($"{name} is an interlaced PNG of {info.Width}×{info.Height} pixels; interlaced PNGs under 5×5 cannot be decoded here (save it without interlacing).");
        // An extended WebP (VP8X) states its canvas apart from the image: a canvas that is not the image's size is a
        // file crafted to make some decoder allocate the canvas (16384² around 128×96 pixels); refuse it.
        if (format is WebpFormat && head.Length >= 30 && head.Slice(12, 4).SequenceEqual("VP8X"u8))
        {
            int canvasWidth = 1 + (head[24] | head[25] << 8 | head[26] << 16), canvasHeight = 1 + (head[27] | head[28] << 8 | head[29] << 16);
            if (canvasWidth != info.Width || canvasHeight != info.Height)
                throw new UnreadableImageException(
                    $"{name} declares a {canvasWidth}×{canvasHeight} canvas around a {info.Width}×{info.Height} image; refusing an inconsistent WebP (save it again).");
        }
        bool turned = OrientationSwapsSides(info);
        return new Header(turned ? info.Height : info.Width, turned ? info.Width : info.Height, info.Width, info.Height, format.Name);
    }

    /// <summary>EXIF orientations 5–8 are a quarter turn (with or without a mirror): width and height swap.</summary>
    private static bool OrientationSwapsSides(IImageInfo info)
    {
        var value = info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation);
        return value is not null && value.Value is >= 5 and <= 8;
    }

    private static void CheckFileSize(string path, ImageLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new UnreadableImageException($"{path} is a folder, not an image file.");
        if (!File.Exists(path)) throw new UnreadableImageException($"Image file not found: {path}");
        long bytes = new FileInfo(path).Length;
        if (bytes > options.MaxFileBytes)
            throw new ImageTooLargeException($"{path} is {bytes:N0} bytes, over the limit of {options.MaxFileBytes:N0}; nothing was decoded.");
    }

    private static byte[] ReadFile(string path, ImageLoadOptions options)
    {
        CheckFileSize(path, options);
        try
        {
            using var stream = File.OpenRead(path);
            return ReadStream(stream, path, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UnreadableImageException($"{path} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the rest of the stream, refusing more than the byte limit (the file may grow after its size was checked).</summary>
    private static byte[] ReadStream(Stream stream, string name, ImageLoadOptions options)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > options.MaxFileBytes)
                throw new ImageTooLargeException($"{name} has more than {options.MaxFileBytes:N0} bytes, the limit; nothing was decoded.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
