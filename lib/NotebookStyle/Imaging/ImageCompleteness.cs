using System.Buffers.Binary;

namespace NotebookStyle.Imaging;

/// <summary>
/// Checks that a JPEG, PNG or WebP file is structurally whole before it is decoded. ImageSharp 2.1 decodes truncated
/// files without an error (measured: a JPEG or PNG cut in half loads, its missing rows transparent black or grey;
/// a cut lossy WebP loads with invented pixels), so the loader refuses them here instead of returning a damaged image.
/// Only the container is walked (JPEG markers, PNG chunks, RIFF chunks), and a PNG's pixel data is inflated to count
/// its rows against the header; bytes after the end marker are tolerated, as every mainstream decoder does. Corrupt data inside a structurally whole file is the decoder's business.
/// </summary>
internal static class ImageCompleteness
{
    /// <summary>Null when the file reaches its end marker, else why it does not.</summary>
    public static string? FindDefect(ReadOnlySpan<byte> data, string format) => format switch
    {
        "JPEG" => Jpeg(data),
        "PNG" => Png(data),
        "Webp" => Webp(data),
        _ => null,
    };

    private static string? Jpeg(ReadOnlySpan<byte> d)
    {
        const string cut = "is truncated: it ends before its end-of-image marker (FFD9)";
        if (d.Length < 2 || d[0] != 0xFF || d[1] != 0xD8) return "does not start with a JPEG start-of-image marker";
        bool scanSeen = false;
        int i = 2;
        while (true)
        {
            // Entropy-coded data after a start-of-scan, and stray bytes between segments, are skipped up to the next 0xFF.
            while (i < d.Length && d[i] != 0xFF) i++;
            while (i + 1 < d.Length && d[i + 1] == 0xFF) i++; // fill bytes
            if (i + 1 >= d.Length) return cut;
            byte marker = d[i + 1];
            i += 2;
            if (marker == 0xD9) return scanSeen ? null : "has no image data (no start-of-scan before its end marker)";
            // 0xFF00 is a stuffed 0xFF inside entropy data, RST0–7 restart markers, TEM and a repeated SOI carry no length.
            if (marker is 0x00 or 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7)) continue;
            if (i + 2 > d.Length) return cut;
            int length = BinaryPrimitives.ReadUInt16BigEndian(d[i..]);
            if (length < 2) return $"is corrupt: marker FF{marker:X2} has an impossible length {length}";
            if ((long)i + length > d.Length) return $"is truncated: it ends inside its FF{marker:X2} segment";
            if (marker == 0xDA) scanSeen = true;
            i += length;
        }
    }

    private static string? Png(ReadOnlySpan<byte> d)
    {
        int i = 8; // signature, already recognised by the format detection
        int ihdr = -1;
        using var idat = new MemoryStream();
        while (true)
        {
            if ((long)i + 12 > d.Length) return "is truncated: it ends before its IEND chunk";
            uint length = BinaryPrimitives.ReadUInt32BigEndian(d[i..]);
            string type = System.Text.Encoding.ASCII.GetString(d.Slice(i + 4, 4));
            if (length > int.MaxValue) return $"is corrupt: its {type} chunk declares {length:N0} bytes";
            if ((long)i + 12 + length > d.Length) return $"is truncated: it ends inside its {type} chunk";
            if (type == "IHDR" && ihdr < 0 && length == 13) ihdr = i + 8;
            if (type == "IDAT") idat.Write(d.Slice(i + 8, (int)length));
            i += 12 + (int)length;
            if (type == "IEND") return ihdr < 0 ? null : PngPixelData(d.Slice(ihdr, 13), idat);
        }
    }

    /// <summary>
    /// A whole chunk structure can still carry too little pixel data: an IDAT stream that inflates to fewer rows than
    /// the header declares (ImageSharp 2.1 then fills the missing rows with white). Inflates the IDAT data (stopping at
    /// the size the header implies) and compares. A stream that breaks off part-way is refused too; one that is not zlib
    /// from its first byte is left to the decoder to report, unless the image is interlaced (a hang, see below).
    /// </summary>
    private static string? PngPixelData(ReadOnlySpan<byte> header, MemoryStream idat)
    {
        long width = BinaryPrimitives.ReadUInt32BigEndian(header), height = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        int depth = header[8], colorType = header[9], interlace = header[12];
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || depth is not (1 or 2 or 4 or 8 or 16) || width == 0 || height == 0 || interlace > 1) return null;
        int bitsPerPixel = channels * depth;
        long RowBytes(long pixels) => 1 + (pixels * bitsPerPixel + 7) / 8; // each row starts with its filter byte
        long expected = 0;
        if (interlace == 0) expected = height * RowBytes(width);
        else
        {
            // Adam7: seven passes, each a smaller image of its own rows (an empty pass has no rows at all).
            ReadOnlySpan<int> x0 = [0, 4, 0, 2, 0, 1, 0], y0 = [0, 0, 4, 0, 2, 0, 1], dx = [8, 8, 4, 4, 2, 2, 1], dy = [8, 8, 8, 4, 4, 2, 2];
            for (int pass = 0; pass < 7; pass++)
            {
                long w = (width - x0[pass] + dx[pass] - 1) / dx[pass], h = (height - y0[pass] + dy[pass] - 1) / dy[pass];
                if (w > 0 && h > 0) expected += h * RowBytes(w);
            }
        }
        long inflated = 0;
        idat.Position = 0;
        try
        {
            using var zlib = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true);
            var buffer = new byte[65536];
            int n;
            while (inflated < expected && (n = zlib.Read(buffer, 0, (int)Math.Min(buffer.Length, expected - inflated))) > 0) inflated += n;
        }
        catch (InvalidDataException ex)
        {
            // A stream broken from its first byte is the decoder's to report. One that breaks off part-way is refused
            // here: on an interlaced image ImageSharp 2.1 waits forever for the missing rows (found by the fuzzer).
            if (inflated == 0 && interlace == 0) return null;
            return $"is corrupt: its image data stops inflating after {inflated:N0} of the {expected:N0} bytes its header declares ({ex.Message})";
        }
        if (inflated >= expected) return null;
        return interlace == 0
            ? $"is truncated: its image data holds {inflated / RowBytes(width):N0} of the {height:N0} rows its header declares"
            : $"is truncated: its interlaced image data holds {inflated:N0} of the {expected:N0} bytes its header declares";
    }

    private static string? Webp(ReadOnlySpan<byte> d)
    {
        if (d.Length < 12) return "is truncated: it ends inside its RIFF header";
        long end = 8L + BinaryPrimitives.ReadUInt32LittleEndian(d[4..]);
        if (end > d.Length) return $"is truncated: its RIFF header declares {end:N0} bytes, the file has {d.Length:N0}";
        long i = 12;
        while (i < end)
        {
            if (i + 8 > end) return "is corrupt: a chunk header crosses the end of the RIFF container";
            long size = BinaryPrimitives.ReadUInt32LittleEndian(d[(int)(i + 4)..]);
            string type = System.Text.Encoding.ASCII.GetString(d.Slice((int)i, 4));
            if (i + 8 + size > end) return $"is truncated: it ends inside its {type.Trim()} chunk";
            i += 8 + size + (size & 1); // chunks are padded to an even size
        }
        return null;
    }
}
