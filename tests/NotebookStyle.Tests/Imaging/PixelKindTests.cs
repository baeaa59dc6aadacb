using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

/// <summary>Every kind of pixel the loader accepts comes out as upright 8-bit RGB with the right colours.</summary>
public class PixelKindTests
{
    private static Image<Rgb24> LoadBytes(byte[] bytes, string name = "image") => ImageLoader.Load(new MemoryStream(bytes), name);

    /// <summary>What the loader promises for a straight-alpha RGBA pixel: composited over white, rounded.</summary>
    private static Rgb24 OverWhite(byte r, byte g, byte b, byte a)
    {
        byte C(byte c) => (byte)Math.Round(c * a / 255.0 + (255 - a), MidpointRounding.AwayFromZero);
        return new Rgb24(C(r), C(g), C(b));
    }

    [Fact]
    public void GreyPngAndGreyJpegBecomeEqualChannels()
    {
        using var grey = new Image<L8>(8, 8, new L8(77));
        grey[0, 0] = new L8(0);
        grey[7, 7] = new L8(255);
        using (var png = LoadBytes(ImagingFiles.Encode(grey, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 })))
        {
            Assert.Equal(new Rgb24(0, 0, 0), png[0, 0]);
            Assert.Equal(new Rgb24(77, 77, 77), png[3, 3]);
            Assert.Equal(new Rgb24(255, 255, 255), png[7, 7]);
        }
        using var flat = new Image<L8>(8, 8, new L8(77));
        using var jpeg = LoadBytes(ImagingFiles.Encode(flat, new JpegEncoder { ColorType = JpegColorType.Luminance, Quality = 100 }));
        Assert.Equal(new Rgb24(77, 77, 77), jpeg[4, 4]);
    }

    [Fact]
    public void SixteenBitRgbIsRoundedToEightBits()
    {
        using var deep = new Image<Rgb48>(2, 1);
        deep[0, 0] = new Rgb48(65535, 32896, 2570); // exactly 255, 128, 10 × 257
        deep[1, 0] = new Rgb48(200, 32767, 32768);  // 0.78, 127.498, 127.502 × 257: rounding, not truncation (>> 8 gives 0, 127, 128)
        byte[] png = ImagingFiles.Encode(deep, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 });
        Assert.Equal(16, png[24]); // IHDR bit depth: really a 16-bit file
        using var loaded = LoadBytes(png);
        Assert.Equal(new Rgb24(255, 128, 10), loaded[0, 0]);
        Assert.Equal(new Rgb24(1, 127, 128), loaded[1, 0]);
    }

    [Fact]
    public void SixteenBitGreyIsRoundedToEightBits()
    {
        using var deep = new Image<L16>(3, 1);
        deep[0, 0] = new L16(65535);
        deep[1, 0] = new L16(32896);
        deep[2, 0] = new L16(200);
        byte[] png = ImagingFiles.Encode(deep, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
        Assert.Equal((16, 0), (png[24], png[25])); // 16-bit greyscale
        using var loaded = LoadBytes(png);
        Assert.Equal(new Rgb24(255, 255, 255), loaded[0, 0]);
        Assert.Equal(new Rgb24(128, 128, 128), loaded[1, 0]);
        Assert.Equal(new Rgb24(1, 1, 1), loaded[2, 0]);
    }

    [Fact]
    public void AlphaIsCompositedOverWhite()
    {
        using var rgba = new Image<Rgba32>(4, 1);
        rgba[0, 0] = new Rgba32(10, 20, 30, 0);      // fully transparent: paper
        rgba[1, 0] = new Rgba32(200, 100, 50, 128);  // half: between colour and white
        rgba[2, 0] = new Rgba32(200, 100, 50, 255);  // opaque: unchanged
        rgba[3, 0] = new Rgba32(0, 0, 0, 1);
        using var loaded = LoadBytes(ImagingFiles.Encode(rgba, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));
        Assert.Equal(new Rgb24(255, 255, 255), loaded[0, 0]);
        Assert.Equal(OverWhite(200, 100, 50, 128), loaded[1, 0]);
        Assert.Equal(new Rgb24(227, 177, 152), loaded[1, 0]); // 200·128/255 + 127 = 227.4, ...
        Assert.Equal(new Rgb24(200, 100, 50), loaded[2, 0]);
        Assert.Equal(new Rgb24(254, 254, 254), loaded[3, 0]);
    }

    [Fact]
    public void SixteenBitAlphaAndGreyAlphaAreCompositedOverWhite()
    {
        using var deep = new Image<Rgba64>(2, 1);
        deep[0, 0] = new Rgba64(65535, 0, 0, 32896); // alpha 128/255
        deep[1, 0] = new Rgba64(0, 0, 65535, 0);
        using (var loaded = LoadBytes(ImagingFiles.Encode(deep, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 })))
        {
            Assert.Equal(OverWhite(255, 0, 0, 128), loaded[0, 0]);
            Assert.Equal(new Rgb24(255, 255, 255), loaded[1, 0]);
        }
        using var greyAlpha = new Image<La16>(2, 1);
        greyAlpha[0, 0] = new La16(100, 0);
        greyAlpha[1, 0] = new La16(100, 255);
        using var la = LoadBytes(ImagingFiles.Encode(greyAlpha, new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha }));
        Assert.Equal(new Rgb24(255, 255, 255), la[0, 0]);
        Assert.Equal(new Rgb24(100, 100, 100), la[1, 0]);
    }

    [Fact]
    public void PalettePngWithTransparencyLoads()
    {
        using var rgba = new Image<Rgba32>(4, 1);
        rgba[0, 0] = new Rgba32(255, 0, 0, 255);
        rgba[1, 0] = new Rgba32(0, 255, 0, 255);
        rgba[2, 0] = new Rgba32(10, 20, 30, 0);
        rgba[3, 0] = new Rgba32(0, 0, 255, 128);
        byte[] png = ImagingFiles.Encode(rgba, new PngEncoder { ColorType = PngColorType.Palette });
        Assert.Equal(3, png[25]); // IHDR colour type 3: indexed
        using var loaded = LoadBytes(png);
        Assert.Equal(new Rgb24(255, 0, 0), loaded[0, 0]);
        Assert.Equal(new Rgb24(0, 255, 0), loaded[1, 0]);
        Assert.Equal(new Rgb24(255, 255, 255), loaded[2, 0]);
        Assert.Equal(OverWhite(0, 0, 255, 128), loaded[3, 0]);
    }

    [Fact]
    public void TransparentLosslessWebpIsCompositedOverWhite()
    {
        using var rgba = new Image<Rgba32>(2, 1);
        rgba[0, 0] = new Rgba32(0, 0, 0, 0);
        rgba[1, 0] = new Rgba32(200, 100, 50, 128);
        using var loaded = LoadBytes(ImagingFiles.Encode(rgba, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }));
        Assert.Equal(new Rgb24(255, 255, 255), loaded[0, 0]);
        Assert.Equal(OverWhite(200, 100, 50, 128), loaded[1, 0]);
    }

    [Fact]
    public void CmykJpegFromPillowHasTheRightColours()
    {
        // tests/reference/make_imaging_fixtures.py: Adobe (inverted) CMYK, one 8×8 block per colour; Pillow decodes these exact RGBs.
        string path = ImagingFiles.Fixture("cmyk.jpg");
        Assert.Equal((16, 16, "JPEG"), ImageLoader.Identify(path));
        using var loaded = ImageLoader.Load(path);
        Pixels.Near(new Rgb24(255, 0, 0), loaded[4, 4], 2);
        Pixels.Near(new Rgb24(0, 255, 0), loaded[12, 4], 2);
        Pixels.Near(new Rgb24(0, 128, 255), loaded[4, 12], 2);
        Pixels.Near(new Rgb24(127, 127, 127), loaded[12, 12], 2); // K only: the black channel is honoured
    }

    /// <summary>EXIF orientation → upright size and the corner the stored top-left lands in (0 TL, 1 TR, 2 BR, 3 BL).</summary>
    public static TheoryData<ushort, int, int, int> Orientations => new()
    {
        { 1, 32, 16, 0 }, // as stored
        { 2, 32, 16, 1 }, // mirrored left-right
        { 3, 32, 16, 2 }, // turned 180°
        { 4, 32, 16, 3 }, // mirrored top-bottom
        { 5, 16, 32, 0 }, // transposed
        { 6, 16, 32, 1 }, // turned 90° clockwise to display
        { 7, 16, 32, 2 }, // transversed
        { 8, 16, 32, 3 }, // turned 90° counter-clockwise to display
    };

    [Theory]
    [MemberData(nameof(Orientations))]
    public void ExifOrientationIsHonoured(ushort orientation, int width, int height, int corner)
    {
        // Stored 32×16, blue, with a red 8×8 block at the stored top-left.
        using var stored = new Image<Rgb24>(32, 16, new Rgb24(0, 0, 255));
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                stored[x, y] = new Rgb24(255, 0, 0);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        string path = ImagingFiles.WriteTemp(ImagingFiles.Encode(stored, new JpegEncoder { Quality = 100, ColorType = JpegColorType.YCbCrRatio444 }), "turned.jpg");

        Assert.Equal((width, height, "JPEG"), ImageLoader.Identify(path));
        using var upright = ImageLoader.Load(path);
        Assert.Equal((width, height), (upright.Width, upright.Height));
        (int X, int Y)[] centres = [(4, 4), (width - 5, 4), (width - 5, height - 5), (4, height - 5)];
        for (int c = 0; c < 4; c++)
        {
            var p = upright[centres[c].X, centres[c].Y];
            if (c == corner) Pixels.Near(new Rgb24(255, 0, 0), p, 8);
            else Pixels.Near(new Rgb24(0, 0, 255), p, 8);
        }
    }
}
