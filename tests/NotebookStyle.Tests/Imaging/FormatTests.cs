using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

public class FormatTests
{
    /// <summary>A 16×16 image: left half orange, right half teal (block-aligned, so even lossy codecs keep the colours).</summary>
    private static Image<Rgb24> TwoColours()
    {
        var image = new Image<Rgb24>(16, 16);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                image[x, y] = x < 8 ? new Rgb24(230, 120, 20) : new Rgb24(20, 150, 160);
        return image;
    }

    public static TheoryData<string, int> Accepted => new()
    {
        { "jpeg", 4 }, { "png", 0 }, { "webp-lossy", 10 }, { "webp-lossless", 0 },
    };

    private static IImageEncoder Encoder(string kind) => kind switch
    {
        "jpeg" => new JpegEncoder { Quality = 95 },
        "png" => new PngEncoder(),
        "webp-lossy" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 95 },
        "webp-lossless" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void JpegPngAndWebpLoad(string kind, int tolerance)
    {
        using var source = TwoColours();
        string path = ImagingFiles.WriteTemp(ImagingFiles.Encode(source, Encoder(kind)), "image." + kind);
        using var loaded = ImageLoader.Load(path);
        Assert.Equal((16, 16), (loaded.Width, loaded.Height));
        Pixels.Near(new Rgb24(230, 120, 20), loaded[3, 8], tolerance);
        Pixels.Near(new Rgb24(20, 150, 160), loaded[12, 8], tolerance);
        var (w, h, format) = ImageLoader.Identify(path);
        Assert.Equal((16, 16), (w, h));
        Assert.Equal(kind.StartsWith("webp") ? "Webp" : kind.ToUpperInvariant(), format);
    }

    [Theory]
    [InlineData("GIF")]
    [InlineData("BMP")]
    [InlineData("TGA")]
    [InlineData("TIFF")]
    public void OtherFormatsAreRefusedByName(string format)
    {
        using var source = TwoColours();
        IImageEncoder encoder = format switch
        {
            "GIF" => new GifEncoder(),
            "BMP" => new BmpEncoder(),
            "TGA" => new TgaEncoder(),
            _ => new TiffEncoder(),
        };
        string path = ImagingFiles.WriteTemp(ImagingFiles.Encode(source, encoder), "image.png"); // the extension lies: the bytes decide
        var ex = Assert.Throws<UnsupportedImageException>(() => ImageLoader.Load(path));
        Assert.Contains($"is a {format} image; only JPEG, PNG and WebP are accepted", ex.Message);
        Assert.Throws<UnsupportedImageException>(() => ImageLoader.Identify(path));
    }

    [Fact]
    public void AnimatedWebpIsRefusedByName()
    {
        string path = ImagingFiles.Fixture("animated.webp");
        var ex = Assert.Throws<UnsupportedImageException>(() => ImageLoader.Load(path));
        Assert.Contains("Webp", ex.Message);
        Assert.Contains("Animated", ex.Message);
        Assert.Throws<UnsupportedImageException>(() => ImageLoader.Identify(path));
    }

    [Fact]
    public void TextFileIsNotAnImage()
    {
        string path = ImagingFiles.WriteTemp("Dear diary, today I was not an image.\n"u8.ToArray(), "notes.jpg");
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(path));
        Assert.Contains("is not an image", ex.Message);
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Identify(path));
    }

    [Fact]
    public void EmptyFileIsUnreadable()
    {
        string path = ImagingFiles.WriteTemp([], "empty.png");
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(path));
        Assert.Contains("is empty (0 bytes)", ex.Message);
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Identify(path));
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(Stream.Null, "nothing"));
    }

    [Fact]
    public void MissingFileAndFolderAreUnreadable()
    {
        string folder = ImagingFiles.TempFolder();
        var missing = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(Path.Combine(folder, "nope.jpg")));
        Assert.Contains("not found", missing.Message);
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Identify(Path.Combine(folder, "nope.jpg")));
        var dir = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(folder));
        Assert.Contains("is a folder", dir.Message);
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void TruncatedJpegIsRefused(double keep)
    {
        // ImageSharp 2.1 itself loads all of these without an error (missing rows left black or grey); the loader refuses them.
        byte[] whole = File.ReadAllBytes(Path.Combine(ImagingFiles.SharedImages, "golden_gate.jpg"));
        string path = ImagingFiles.WriteTemp(whole[..(int)(whole.Length * keep)], "cut.jpg");
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(path));
        Assert.Contains("is truncated", ex.Message);
        Assert.Contains("refusing a partial image", ex.Message);
        Assert.Equal((979, 734, "JPEG"), ImageLoader.Identify(path)); // the header alone is intact
    }

    [Fact]
    public void TruncatedProgressiveJpegIsRefused()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(ImagingFiles.SharedImages, "great_wave.jpg")); // progressive: several scans
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(whole[..(whole.Length * 2 / 3)]), "cut.jpg"));
        Assert.Contains("is truncated", ex.Message);
    }

    [Fact]
    public void JpegHeaderCutShortIsUnreadable()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(ImagingFiles.SharedImages, "golden_gate.jpg"));
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(whole[..20]), "stub.jpg"));
        Assert.Contains("stub.jpg", ex.Message);
    }

    [Fact]
    public void EndMarkerInsideASegmentDoesNotHideTruncation()
    {
        // An embedded FFD9 (as in an EXIF thumbnail) sits inside a length-prefixed segment and must not count as the end.
        using var source = TwoColours();
        byte[] jpeg = ImagingFiles.WithJpegComment(ImagingFiles.Encode(source, new JpegEncoder()), [0xFF, 0xD9, 0xFF, 0xD9]);
        using (var whole = ImageLoader.Load(new MemoryStream(jpeg), "commented.jpg")) Assert.Equal(16, whole.Width);
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(jpeg[..^2]), "commented-cut.jpg"));
    }

    [Fact]
    public void BytesAfterTheEndMarkerAreTolerated()
    {
        using var source = TwoColours();
        byte[] jpeg = [.. ImagingFiles.Encode(source, new JpegEncoder()), .. "trailing camera junk"u8.ToArray()];
        using (var a = ImageLoader.Load(new MemoryStream(jpeg), "junk.jpg")) Assert.Equal(16, a.Width);
        byte[] png = [.. ImagingFiles.Encode(source, new PngEncoder()), 0, 1, 2, 3];
        using (var b = ImageLoader.Load(new MemoryStream(png), "junk.png")) Assert.Equal(16, b.Width);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void TruncatedPngIsRefused(double keep)
    {
        using var golden = ImageLoader.Load(Path.Combine(ImagingFiles.SharedImages, "golden_gate.jpg"));
        using var small = ImageLoader.ResizeLongSide(golden, 200);
        byte[] whole = ImagingFiles.Encode(small, new PngEncoder());
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(whole[..(int)(whole.Length * keep)]), "cut.png"));
        Assert.Contains("is truncated: it ends inside its IDAT chunk", ex.Message);
        var noEnd = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(whole[..^12]), "noiend.png"));
        Assert.Contains("ends before its IEND chunk", noEnd.Message);
    }

    [Fact]
    public void PngCutInsideItsHeaderIsUnreadable()
    {
        using var source = TwoColours();
        byte[] whole = ImagingFiles.Encode(source, new PngEncoder());
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(whole[..20]), "stub.png"));
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(whole[..8]), "signature.png"));
    }

    [Theory]
    [InlineData(WebpFileFormatType.Lossy)]
    [InlineData(WebpFileFormatType.Lossless)]
    public void TruncatedWebpIsRefused(WebpFileFormatType kind)
    {
        using var golden = ImageLoader.Load(Path.Combine(ImagingFiles.SharedImages, "golden_gate.jpg"));
        using var small = ImageLoader.ResizeLongSide(golden, 128);
        byte[] whole = ImagingFiles.Encode(small, new WebpEncoder { FileFormat = kind });
        using (var ok = ImageLoader.Load(new MemoryStream(whole), "whole.webp")) Assert.Equal(128, ok.Width);
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(whole[..(whole.Length / 2)]), "cut.webp"));
        Assert.Contains("is truncated", ex.Message);
    }

    [Fact]
    public void NonSeekableStreamLoadsFromItsCurrentPosition()
    {
        using var source = TwoColours();
        byte[] png = ImagingFiles.Encode(source, new PngEncoder());
        var stream = new MemoryStream([9, 9, 9, .. png]) { Position = 3 };
        using var loaded = ImageLoader.Load(new ForwardOnly(stream), "pipe");
        Assert.Equal(new Rgb24(230, 120, 20), loaded[0, 0]);
    }

    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
