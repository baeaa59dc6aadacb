using System.Buffers.Binary;

namespace NotebookStyle.Imaging;

/// <summary>
/// Checks that a JPEG, PNG or WebP file is structurally whole before it is decoded. ImageSharp 2.1 decodes truncated
/// files without an error (measured: a JPEG or PNG cut in half loads, its missing rows transparent black or grey;
/// a cut lossy WebP loads with invented pixels), so the loader refuses them here instead of returning a damaged image.
/// Only the container is walked (JPEG markers, PNG chunks, RIFF chunks); bytes after the end marker are tolerated,
/// as every mainstream decoder does. Corrupt data inside a structurally whole file is the decoder's business.
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
        while (true)
        {
            if ((long)i + 12 > d.Length) return "is truncated: it ends before its IEND chunk";
            uint length = BinaryPrimitives.ReadUInt32BigEndian(d[i..]);
            string type = System.Text.Encoding.ASCII.GetString(d.Slice(i + 4, 4));
            if (length > int.MaxValue) return $"is corrupt: its {type} chunk declares {length:N0} bytes";
            if ((long)i + 12 + length > d.Length) return $"is truncated: it ends inside its {type} chunk";
            i += 12 + (int)length;
            if (type == "IEND") return null;
        }
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
