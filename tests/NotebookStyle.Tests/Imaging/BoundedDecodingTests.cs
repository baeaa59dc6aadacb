using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

public class BoundedDecodingTests
{
    [Fact]
    public void CraftedPngDeclaringHugeSizeIsRefusedBeforeDecoding()
    {
        // 100000×100000 = 10^10 pixels (40 GB as RGBA) in a 65-byte file whose only "pixel data" is garbage.
        byte[] huge = ImagingFiles.CraftedPng(100_000, 100_000, garbageIdat: true);
        Assert.True(huge.Length < 100);
        string path = ImagingFiles.WriteTemp(huge, "huge.png");

        var ex = Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(path));
        Assert.Contains("100000×100000", ex.Message);
        Assert.Contains("nothing was decoded", ex.Message);
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Identify(path));
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(new MemoryStream(huge), "huge.png"));

        // The same garbage under a small header does reach the decoder, and the decoder fails on it: so the
        // size error above came first, and no pixel decoding was attempted.
        var small = ImagingFiles.WriteTemp(ImagingFiles.CraftedPng(16, 16, garbageIdat: true), "small.png");
        var decodeError = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(small));
        Assert.Contains("could not be decoded", decodeError.Message);

        // With no pixel data at all the verdict is still the size one.
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(new MemoryStream(ImagingFiles.CraftedPng(100_000, 100_000, garbageIdat: false)), "noidat.png"));
    }

    [Fact]
    public void CraftedJpegDeclaringHugeSizeIsRefusedBeforeDecoding()
    {
        // SOF0 declares 60000×50000; the file then stops: no tables, no scan, no end marker.
        byte[] huge = ImagingFiles.CraftedJpeg(60_000, 50_000, []);
        string path = ImagingFiles.WriteTemp(huge, "huge.jpg");
        var ex = Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(path));
        Assert.Contains("60000×50000 = 3,000,000,000 pixels", ex.Message);
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Identify(path));

        // The same file under a small header is refused as unreadable (truncated): the size check runs first.
        var small = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(ImagingFiles.CraftedJpeg(16, 16, [])), "small.jpg"));
        Assert.Contains("truncated", small.Message);

        // Garbage "scan data" and an end marker: still the size error.
        byte[] garbage = [0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0, .. Enumerable.Repeat((byte)0x55, 64), 0xFF, 0xD9];
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(new MemoryStream(ImagingFiles.CraftedJpeg(60_000, 50_000, garbage)), "garbage.jpg"));
    }

    [Fact]
    public void PixelBudgetIsConfigurableBothWays()
    {
        using var image = new Image<Rgb24>(64, 48, new Rgb24(10, 20, 30));
        string path = ImagingFiles.WriteTemp(ImagingFiles.Encode(image, new PngEncoder()), "budget.png");

        using (var exact = ImageLoader.Load(path, new ImageLoadOptions(MaxPixels: 64 * 48))) Assert.Equal(64, exact.Width);
        var ex = Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(path, new ImageLoadOptions(MaxPixels: 64 * 48 - 1)));
        Assert.Contains("3,072 pixels, over the budget of 3,071", ex.Message);
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Identify(path, new ImageLoadOptions(MaxPixels: 1000)));

        // Past the budget the garbage reaches the decoder and fails there; under it, it never does.
        byte[] crafted = ImagingFiles.CraftedPng(40, 30, garbageIdat: true);
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(new MemoryStream(crafted), "c.png", new ImageLoadOptions(MaxPixels: 1199)));
        var past = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(new MemoryStream(crafted), "c.png", new ImageLoadOptions(MaxPixels: 1200)));
        Assert.Contains("could not be decoded", past.Message);
    }

    [Fact]
    public void FileSizeLimitIsChecked()
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(200, 0, 0));
        byte[] bytes = ImagingFiles.Encode(image, new PngEncoder());
        string path = ImagingFiles.WriteTemp(bytes, "bytes.png");

        using (var ok = ImageLoader.Load(path, new ImageLoadOptions(MaxFileBytes: bytes.Length))) Assert.Equal(8, ok.Height);
        var ex = Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(path, new ImageLoadOptions(MaxFileBytes: bytes.Length - 1)));
        Assert.Contains("bytes, over the limit", ex.Message);
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Identify(path, new ImageLoadOptions(MaxFileBytes: bytes.Length - 1)));
        Assert.Throws<ImageTooLargeException>(() => ImageLoader.Load(new MemoryStream(bytes), "stream", new ImageLoadOptions(MaxFileBytes: bytes.Length - 1)));
        using (var ok = ImageLoader.Load(new MemoryStream(bytes), "stream", new ImageLoadOptions(MaxFileBytes: bytes.Length))) Assert.Equal(8, ok.Width);
    }

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(1L, 0L)]
    [InlineData(-5L, 1L)]
    public void NonPositiveLimitsAreRefused(long maxPixels, long maxBytes)
    {
        Assert.Throws<NotebookStyleException>(() => new ImageLoadOptions(maxPixels, maxBytes));
        Assert.Throws<NotebookStyleException>(() => ImageLoadOptions.Default with { MaxPixels = maxPixels, MaxFileBytes = maxBytes });
    }

    [Fact]
    public void DefaultsAreFortyMegapixelsAndOneHundredMebibytes()
    {
        Assert.Equal(40_000_000, ImageLoadOptions.Default.MaxPixels);
        Assert.Equal(100L << 20, ImageLoadOptions.Default.MaxFileBytes);
        Assert.Equal(123, (ImageLoadOptions.Default with { MaxPixels = 123 }).MaxPixels);
    }
}
