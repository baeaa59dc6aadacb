using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

/// <summary>A PNG whose chunks are whole but whose pixel data holds fewer rows than its header declares.</summary>
public class PixelDataCompletenessTests
{
    [Fact]
    public void PngWithTooFewRowsIsRefusedLikeATruncatedFile()
    {
        // Before the check ImageSharp 2.1 decoded this as 16×16 with rows 6–15 filled in white.
        byte[] png = ImagingFiles.PngWithRows(16, 16, rowsStored: 6);
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(png, "short.png"));
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("6 of the 16 rows", ex.Message);
        string path = ImagingFiles.WriteTemp(png, "short.png");
        Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(path));
    }

    [Fact]
    public void InterlacedPngWithTooLittleDataIsRefused()
    {
        byte[] png = ImagingFiles.PngWithRows(16, 16, rowsStored: 12, interlaced: true);
        var ex = Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(png, "short-adam7.png"));
        Assert.Contains("interlaced image data holds", ex.Message);
    }

    [Fact]
    public void PngWithEveryRowStillLoads()
    {
        using (var whole = ImageLoader.Load(ImagingFiles.PngWithRows(16, 16, rowsStored: 16), "whole.png"))
            Assert.Equal(new Rgb24(128, 128, 128), whole[5, 15]);
        // Extra rows past the header's count are tolerated, as decoders do.
        using (var more = ImageLoader.Load(ImagingFiles.PngWithRows(16, 16, rowsStored: 17), "more.png")) Assert.Equal(16, more.Height);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 9)]
    [InlineData(9, 3)]
    public async Task TinyInterlacedPngsAreRefusedInsteadOfHangingTheDecoder(int width, int height)
    {
        // ImageSharp 2.1.13 spins forever on a valid 1×1 or 2×2 Adam7 PNG (an empty pass): without the check this test
        // fails by timing out instead of hanging the test run.
        using var image = new Image<Rgba32>(width, height, new Rgba32(1, 2, 3, 255));
        byte[] png = ImagingFiles.Encode(image, new PngEncoder { ColorType = PngColorType.Rgb, InterlaceMethod = PngInterlaceMode.Adam7 });
        var load = Task.Run(() => Assert.Throws<UnsupportedImageException>(() => ImageLoader.Load(png, "tiny.png")));
        var error = await load.WaitAsync(TimeSpan.FromSeconds(20)); // TimeoutException: the decoder hung
        Assert.Contains("interlaced PNG", error.Message);
        Assert.Throws<UnsupportedImageException>(() => ImageLoader.Identify(png, "tiny.png"));
    }

    [Theory]
    [InlineData(PngColorType.Rgb, PngBitDepth.Bit8, PngInterlaceMode.None)]
    [InlineData(PngColorType.RgbWithAlpha, PngBitDepth.Bit16, PngInterlaceMode.None)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit1, PngInterlaceMode.None)]
    [InlineData(PngColorType.Palette, PngBitDepth.Bit4, PngInterlaceMode.Adam7)]
    [InlineData(PngColorType.GrayscaleWithAlpha, PngBitDepth.Bit8, PngInterlaceMode.Adam7)]
    [InlineData(PngColorType.Rgb, PngBitDepth.Bit8, PngInterlaceMode.Adam7)]
    public void EncodedPngsOfEveryKindPassTheRowCount(PngColorType color, PngBitDepth depth, PngInterlaceMode interlace)
    {
        // Odd sizes exercise partial bytes (1- and 4-bit rows) and Adam7 passes that are empty or one pixel wide.
        var sizes = interlace == PngInterlaceMode.Adam7 ? new[] { (5, 5), (6, 9), (13, 7), (33, 5) } : [(1, 1), (3, 5), (13, 7), (33, 2)];
        foreach (var (w, h) in sizes)
        {
            using var image = new Image<Rgba32>(w, h, new Rgba32(10, 200, 30, 255));
            byte[] png = ImagingFiles.Encode(image, new PngEncoder { ColorType = color, BitDepth = depth, InterlaceMethod = interlace });
            using var loaded = ImageLoader.Load(png, $"{color}-{depth}-{interlace}-{w}x{h}.png");
            Assert.Equal((w, h), (loaded.Width, loaded.Height));
        }
    }
}
