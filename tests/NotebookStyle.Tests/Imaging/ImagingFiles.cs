using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

/// <summary>Where the imaging tests find their files, and how they make crafted and encoded ones.</summary>
internal static class ImagingFiles
{
    /// <summary>The shared test images (../shared/images beside the repository).</summary>
    public static string SharedImages => TestPaths.SharedImages;

    /// <summary>The committed fixtures (made by tests/reference/make_imaging_fixtures.py).</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Imaging", name);

    /// <summary>One folder per test run for every file the imaging tests write; removed when the test process exits.</summary>
    private static readonly Lazy<string> RunFolder = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "nbs-imaging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        };
        return dir;
    });

    /// <summary>A fresh empty folder inside this run's temp folder.</summary>
    public static string TempFolder()
    {
        string dir = Path.Combine(RunFolder.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes <paramref name="bytes"/> to a new file and returns its path.</summary>
    public static string WriteTemp(byte[] bytes, string name)
    {
        string path = Path.Combine(TempFolder(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Encodes an image in memory.</summary>
    public static byte[] Encode<TPixel>(Image<TPixel> image, IImageEncoder encoder) where TPixel : unmanaged, IPixel<TPixel>
    {
        using var ms = new MemoryStream();
        image.Save(ms, encoder);
        return ms.ToArray();
    }

    /// <summary>
    /// A PNG with a valid signature, an IHDR declaring <paramref name="width"/>×<paramref name="height"/> 8-bit RGB with a
    /// correct CRC, then (optionally) an IDAT of garbage that is not a zlib stream, then IEND: a tiny file with no pixel data.
    /// </summary>
    public static byte[] CraftedPng(int width, int height, bool garbageIdat)
    {
        using var ms = new MemoryStream();
        ms.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB; compression, filter, interlace 0
        PngChunk(ms, "IHDR", ihdr);
        if (garbageIdat) PngChunk(ms, "IDAT", [1, 2, 3, 4, 5, 6, 7, 8]); // first byte 1: "bad zlib method" if anyone inflated it
        PngChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void PngChunk(Stream s, string type, byte[] data)
    {
        var buf = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(buf, Crc32(typed));
        s.Write(buf);
    }

    private static uint Crc32(byte[] data) => Fuzzing.ImageMutator.Crc32(data);

    /// <summary>
    /// A well-formed 8-bit RGB PNG declaring <paramref name="width"/>×<paramref name="height"/> whose IDAT is a complete
    /// zlib stream holding only <paramref name="rowsStored"/> rows (each a filter byte and mid-grey pixels); with
    /// <paramref name="interlaced"/> the header says Adam7 and the data is cut to that many non-interlaced rows' bytes.
    /// </summary>
    public static byte[] PngWithRows(int width, int height, int rowsStored, bool interlaced = false)
    {
        using var ms = new MemoryStream();
        ms.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        PngChunk(ms, "IHDR", ihdr);
        var raw = new byte[rowsStored * (1 + width * 3)];
        for (int r = 0; r < rowsStored; r++) raw.AsSpan(r * (1 + width * 3) + 1, width * 3).Fill(128);
        using var packed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        PngChunk(ms, "IDAT", packed.ToArray());
        PngChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>
    /// A JPEG that is only SOI and a baseline SOF0 declaring <paramref name="width"/>×<paramref name="height"/>
    /// (3 components), then <paramref name="tail"/>: no quantisation or Huffman tables, no scan.
    /// </summary>
    public static byte[] CraftedJpeg(int width, int height, byte[] tail)
    {
        byte[] sof = [0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width,
            3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0];
        return [.. sof, .. tail];
    }

    /// <summary>Inserts a comment (COM) segment holding <paramref name="payload"/> right after the SOI of a JPEG.</summary>
    public static byte[] WithJpegComment(byte[] jpeg, byte[] payload)
    {
        int length = payload.Length + 2;
        byte[] segment = [0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }
}
