using System.Buffers.Binary;

namespace NotebookStyle.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of image files for fuzzing the loader: byte-level ones (flip bits, overwrite, insert, delete, cut,
/// splice) and structure-aware ones that keep a file's container plausible so that its inner parts get exercised: PNG
/// chunks edited with their CRCs fixed up (IHDR fields, IDAT cut or recompressed short, chunks dropped, duplicated or
/// reordered), JPEG segments (lengths, SOF sizes and component counts, segments dropped or repeated, scan data
/// damaged) and WebP RIFF sizes (container and chunk sizes, VP8/VP8L headers). The same seed gives the same inputs.
/// </summary>
public sealed class ImageMutator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>The names of the mutation kinds, in the order <see cref="Mutate"/> picks them.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        ["bit-flip", "overwrite", "insert", "delete", "truncate", "splice", "png-chunk", "jpeg-segment", "webp-riff", "interesting-int"];

    /// <summary>A mutated copy of <paramref name="original"/> and the kind of mutation applied (one to three of them stacked).</summary>
    public (byte[] Bytes, string Kind) Mutate(byte[] original, IReadOnlyList<byte[]> corpus)
    {
        byte[] data = original;
        string kind = "";
        int rounds = 1 + (_random.Next(4) == 0 ? _random.Next(1, 3) : 0);
        for (int round = 0; round < rounds; round++)
        {
            string k = Kinds[_random.Next(Kinds.Count)];
            data = k switch
            {
                "bit-flip" => BitFlip(data),
                "overwrite" => Overwrite(data),
                "insert" => Insert(data),
                "delete" => Delete(data),
                "truncate" => data.Length < 2 ? data : data[.._random.Next(1, data.Length)],
                "splice" => Splice(data, corpus[_random.Next(corpus.Count)]),
                "png-chunk" => IsPng(data) ? PngChunk(data) : BitFlip(data),
                "jpeg-segment" => IsJpeg(data) ? JpegSegment(data) : BitFlip(data),
                "webp-riff" => IsWebp(data) ? WebpRiff(data) : BitFlip(data),
                _ => InterestingInt(data),
            };
            kind = round == 0 ? k : kind + "+" + k;
        }
        return (data, kind);
    }

    private byte[] BitFlip(byte[] d)
    {
        if (d.Length == 0) return d;
        var copy = (byte[])d.Clone();
        int flips = 1 + _random.Next(8);
        for (int i = 0; i < flips; i++) copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    private byte[] Overwrite(byte[] d)
    {
        if (d.Length == 0) return d;
        var copy = (byte[])d.Clone();
        int at = _random.Next(copy.Length), n = Math.Min(copy.Length - at, 1 + _random.Next(32));
        byte fill = _random.Next(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)_random.Next(256) };
        copy.AsSpan(at, n).Fill(fill);
        return copy;
    }

    private byte[] Insert(byte[] d)
    {
        int at = _random.Next(d.Length + 1);
        var extra = new byte[1 + _random.Next(64)];
        _random.NextBytes(extra);
        return [.. d[..at], .. extra, .. d[at..]];
    }

    private byte[] Delete(byte[] d)
    {
        if (d.Length < 2) return d;
        int at = _random.Next(d.Length), n = Math.Min(d.Length - at, 1 + _random.Next(256));
        return [.. d[..at], .. d[(at + n)..]];
    }

    private byte[] Splice(byte[] d, byte[] other)
    {
        int a = _random.Next(d.Length + 1), b = _random.Next(other.Length + 1);
        return [.. d[..a], .. other[b..]];
    }

    /// <summary>A 1, 2 or 4-byte field set to a boundary value (0, 1, 0x7F.., 0x80.., 0xFF..), either byte order.</summary>
    private byte[] InterestingInt(byte[] d)
    {
        int width = new[] { 1, 2, 4 }[_random.Next(3)];
        if (d.Length < width) return d;
        var copy = (byte[])d.Clone();
        uint[] values = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 16, 256, 65535];
        uint value = values[_random.Next(values.Length)];
        var span = copy.AsSpan(_random.Next(copy.Length - width + 1), width);
        bool big = _random.Next(2) == 0;
        switch (width)
        {
            case 1: span[0] = (byte)value; break;
            case 2: if (big) BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value); else BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value); break;
            default: if (big) BinaryPrimitives.WriteUInt32BigEndian(span, value); else BinaryPrimitives.WriteUInt32LittleEndian(span, value); break;
        }
        return copy;
    }

    // ---- PNG ----

    private static bool IsPng(byte[] d) => d.Length > 8 && d[0] == 0x89 && d[1] == (byte)'P' && d[2] == (byte)'N' && d[3] == (byte)'G';

    private sealed record Chunk(string Type, byte[] Data);

    private static List<Chunk>? ReadChunks(byte[] d)
    {
        var chunks = new List<Chunk>();
        int i = 8;
        while (i + 12 <= d.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(i));
            if (length > d.Length - i - 12) return chunks.Count > 0 ? chunks : null;
            chunks.Add(new Chunk(System.Text.Encoding.Latin1.GetString(d, i + 4, 4), d.AsSpan(i + 8, (int)length).ToArray()));
            i += 12 + (int)length;
        }
        return chunks.Count > 0 ? chunks : null;
    }

    private static byte[] WriteChunks(List<Chunk> chunks)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        var buf = new byte[4];
        foreach (var c in chunks)
        {
            BinaryPrimitives.WriteInt32BigEndian(buf, c.Data.Length);
            ms.Write(buf);
            byte[] typed = [.. System.Text.Encoding.Latin1.GetBytes(c.Type), .. c.Data];
            ms.Write(typed);
            BinaryPrimitives.WriteUInt32BigEndian(buf, Crc32(typed));
            ms.Write(buf);
        }
        return ms.ToArray();
    }

    /// <summary>One structural edit of a PNG, every CRC then recomputed so that the chunk reader accepts it.</summary>
    private byte[] PngChunk(byte[] d)
    {
        var chunks = ReadChunks(d);
        if (chunks is null) return BitFlip(d);
        int pick = _random.Next(chunks.Count);
        var chunk = chunks[pick];
        switch (_random.Next(8))
        {
            case 0 when chunk.Type == "IHDR" || chunks[0].Type == "IHDR":
            {
                // An IHDR field set to something odd: size, bit depth, colour type, interlace.
                var ihdr = chunks[0].Data.ToArray();
                if (ihdr.Length < 13) break;
                switch (_random.Next(6))
                {
                    case 5: // tiny, and maybe interlaced: Adam7 passes go empty
                        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)_random.Next(1, 6));
                        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)_random.Next(1, 6));
                        ihdr[12] = (byte)_random.Next(2);
                        break;
                    case 0: BinaryPrimitives.WriteUInt32BigEndian(ihdr, Dimension()); break;
                    case 1: BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), Dimension()); break;
                    case 2: ihdr[8] = new byte[] { 0, 1, 2, 4, 8, 16, 3, 32 }[_random.Next(8)]; break;
                    case 3: ihdr[9] = (byte)_random.Next(8); break;
                    default: ihdr[12] = (byte)_random.Next(3); break;
                }
                chunks[0] = chunks[0] with { Data = ihdr };
                break;
            }
            case 1:
                chunks.RemoveAt(pick);
                break;
            case 2:
                chunks.Insert(pick, chunk);
                break;
            case 3 when chunks.Count > 1:
            {
                int other = _random.Next(chunks.Count);
                (chunks[pick], chunks[other]) = (chunks[other], chunks[pick]);
                break;
            }
            case 4 when chunk.Data.Length > 1:
                chunks[pick] = chunk with { Data = chunk.Data[.._random.Next(chunk.Data.Length)] };
                break;
            case 5 when chunks.FindIndex(c => c.Type == "IDAT") is int idat and >= 0:
            {
                // Pixel data recompressed whole but short: well-formed zlib holding fewer rows than declared.
                var inflated = Inflate(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
                if (inflated is null || inflated.Length < 2) break;
                chunks.RemoveAll(c => c.Type == "IDAT");
                chunks.Insert(Math.Min(idat, chunks.Count), new Chunk("IDAT", Deflate(inflated[.._random.Next(inflated.Length)])));
                break;
            }
            case 6:
            {
                var data = chunk.Data.ToArray();
                if (data.Length > 0) data[_random.Next(data.Length)] ^= (byte)(1 << _random.Next(8));
                chunks[pick] = chunk with { Data = data };
                break;
            }
            default:
                chunks.Insert(_random.Next(chunks.Count + 1), new Chunk(new[] { "tEXt", "IDAT", "PLTE", "tRNS", "gAMA", "IEND", "acTL" }[_random.Next(7)],
                    Enumerable.Range(0, _random.Next(40)).Select(_ => (byte)_random.Next(256)).ToArray()));
                break;
        }
        return WriteChunks(chunks);
    }

    /// <summary>A width or height: tiny (where Adam7 passes go empty), near the original, or large.</summary>
    private uint Dimension() => _random.Next(3) switch
    {
        0 => (uint)_random.Next(0, 6),
        1 => (uint)_random.Next(6, 64),
        _ => (uint)_random.Next(64, 5000),
    };

    private static byte[]? Inflate(byte[] data)
    {
        try
        {
            using var z = new System.IO.Compression.ZLibStream(new MemoryStream(data), System.IO.Compression.CompressionMode.Decompress);
            using var o = new MemoryStream();
            var buf = new byte[8192];
            int n;
            while ((n = z.Read(buf)) > 0 && o.Length < (8 << 20)) o.Write(buf, 0, n);
            return o.ToArray();
        }
        catch (InvalidDataException) { return null; }
    }

    private static byte[] Deflate(byte[] data)
    {
        using var o = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(o, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return o.ToArray();
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320) over the type and data.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    // ---- JPEG ----

    private static bool IsJpeg(byte[] d) => d.Length > 4 && d[0] == 0xFF && d[1] == 0xD8;

    /// <summary>Offsets of the length-carrying segments before the first scan's data (marker at the offset, length after it).</summary>
    private static List<int> Segments(byte[] d)
    {
        var found = new List<int>();
        int i = 2;
        while (i + 4 <= d.Length && d[i] == 0xFF)
        {
            byte marker = d[i + 1];
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            if (marker == 0xD9) break;
            found.Add(i);
            int length = (d[i + 2] << 8) | d[i + 3];
            if (marker == 0xDA) break;
            i += 2 + length;
        }
        return found;
    }

    private byte[] JpegSegment(byte[] d)
    {
        var segments = Segments(d);
        if (segments.Count == 0) return BitFlip(d);
        int at = segments[_random.Next(segments.Count)];
        int length = (d[at + 2] << 8) | d[at + 3];
        int end = Math.Min(d.Length, at + 2 + length);
        var copy = (byte[])d.Clone();
        switch (_random.Next(6))
        {
            case 0: // a wrong segment length
                int wrong = new[] { 0, 1, 2, length - 1, length + 1, 0xFFFF, _random.Next(65536) }[_random.Next(7)];
                copy[at + 2] = (byte)(wrong >> 8);
                copy[at + 3] = (byte)wrong;
                return copy;
            case 1: // drop the segment
                return [.. d[..at], .. d[end..]];
            case 2: // repeat it
                return [.. d[..end], .. d[at..end], .. d[end..]];
            case 3 when copy[at + 1] is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC && at + 9 < copy.Length:
                // SOF: precision, height, width or component count
                switch (_random.Next(4))
                {
                    case 0: copy[at + 4] = new byte[] { 8, 12, 16, 0, 255 }[_random.Next(5)]; break;
                    case 1: copy[at + 5] = (byte)_random.Next(256); copy[at + 6] = (byte)_random.Next(256); break;
                    case 2: copy[at + 7] = (byte)_random.Next(256); copy[at + 8] = (byte)_random.Next(256); break;
                    default: copy[at + 9] = (byte)_random.Next(6); break;
                }
                return copy;
            case 4 when copy[at + 1] == 0xDA && end < copy.Length - 2:
            {
                // damage the entropy-coded data after the scan header
                int n = 1 + _random.Next(16);
                for (int k = 0; k < n; k++) copy[end + _random.Next(copy.Length - 2 - end)] = (byte)_random.Next(256);
                return copy;
            }
            default: // damage the segment's body
                for (int k = at + 4; k < end; k++) if (_random.Next(8) == 0) copy[k] = (byte)_random.Next(256);
                return copy;
        }
    }

    // ---- WebP ----

    private static bool IsWebp(byte[] d) => d.Length >= 20 && d[0] == (byte)'R' && d[1] == (byte)'I' && d[8] == (byte)'W' && d[9] == (byte)'E';

    private byte[] WebpRiff(byte[] d)
    {
        var copy = (byte[])d.Clone();
        switch (_random.Next(5))
        {
            case 0: // the RIFF size
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), new[] { 0u, 4u, (uint)(d.Length - 8 + 1), (uint)(d.Length - 9), uint.MaxValue, (uint)_random.Next() }[_random.Next(6)]);
                return copy;
            case 1: // the first chunk's size
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(16), new[] { 0u, 1u, (uint)(d.Length - 20 + 1), uint.MaxValue, (uint)_random.Next(d.Length) }[_random.Next(5)]);
                return copy;
            case 2: // the chunk type (VP8 , VP8L, VP8X, ALPH, ANIM)
                byte[] type = System.Text.Encoding.ASCII.GetBytes(new[] { "VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF" }[_random.Next(6)]);
                type.CopyTo(copy, 12);
                return copy;
            case 3: // the VP8/VP8L header right after the chunk header (frame tag, dimensions, signature)
            {
                int n = 1 + _random.Next(4);
                for (int k = 0; k < n; k++) copy[20 + _random.Next(Math.Min(10, copy.Length - 20))] = (byte)_random.Next(256);
                return copy;
            }
            default: // cut, with the RIFF size made to agree
            {
                int keep = 20 + _random.Next(Math.Max(1, d.Length - 20));
                var cut = copy[..keep];
                BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(4), (uint)(keep - 8));
                return cut;
            }
        }
    }
}
