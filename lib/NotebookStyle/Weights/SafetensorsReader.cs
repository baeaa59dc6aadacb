using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace NotebookStyle.Weights;

/// <summary>
/// Reads a safetensors file: an unsigned 64-bit little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}</c>), then the
/// raw little-endian data, offsets relative to its start. Header, offsets, sizes and dtypes are all checked; keys are
/// PyTorch's and matched strictly as for .pth files.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>The header must fit in this many bytes (the format's own reference limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>One tensor's entry in the header.</summary>
    /// <param name="Name">Tensor name.</param>
    /// <param name="DType">safetensors dtype, e.g. <c>F32</c>.</param>
    /// <param name="Shape">Shape.</param>
    /// <param name="Begin">First byte, relative to the data section.</param>
    /// <param name="End">One past the last byte.</param>
    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    /// <summary>Parses and checks the header of <paramref name="path"/>; returns the entries and where the data starts.</summary>
    /// <exception cref="WeightsTruncatedException">The file is shorter than its header says.</exception>
    /// <exception cref="WeightsFormatException">A malformed header, overlapping or inconsistent offsets, or trailing bytes.</exception>
    public static (IReadOnlyList<Entry> Entries, long DataStart) ReadHeader(string path)
    {
        string name = Path.GetFileName(path);
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new WeightsTruncatedException($"{name} is truncated: {length} bytes, fewer than a safetensors header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes) throw new WeightsFormatException($"{name}: a {headerLength:N0}-byte safetensors header is not plausible; not a safetensors file.");
        if ((long)headerLength > length - 8)
            throw new WeightsTruncatedException($"{name} is truncated: its header alone needs {headerLength:N0} bytes, the file has {length:N0}.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);

        var entries = new List<Entry>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var e = property.Value;
                var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                if (offsets.Length != 2) throw new WeightsFormatException($"{name}: {property.Name} needs two data_offsets.");
                entries.Add(new(property.Name, e.GetProperty("dtype").GetString()!,
                    e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(), offsets[0], offsets[1]));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new WeightsFormatException($"{name}: the safetensors header is not valid ({e.Message}).", e);
        }

        long dataStart = 8 + (long)headerLength, expectedEnd = 0;
        foreach (var e in entries.OrderBy(e => e.Begin))
        {
            if (e.Begin != expectedEnd || e.End < e.Begin)
                throw new WeightsFormatException($"{name}: {e.Name}'s data_offsets [{e.Begin}, {e.End}] overlap or leave a gap (expected to start at {expectedEnd}).");
            if (e.Shape.Any(d => d < 0)) throw new WeightsFormatException($"{name}: {e.Name} has a negative dimension.");
            if (e.Begin < 0 || e.End > length - dataStart)
                throw new WeightsTruncatedException($"{name}: {e.Name}'s data_offsets [{e.Begin:N0}, {e.End:N0}] reach past the file's {length - dataStart:N0} bytes of data.");
            // A claimed shape is checked against the bytes its offsets span (and so against the file) before anything is allocated.
            if (ElementSize(e.DType) is int size && (Elements(e.Shape) is not long elements || elements > (e.End - e.Begin) / size || elements * size != e.End - e.Begin))
                throw new WeightsFormatException($"{name}: {e.Name} is {e.DType} {Vgg19Parameter.Format(e.Shape)} but its data_offsets span {e.End - e.Begin} bytes.");
            expectedEnd = e.End;
        }
        if (dataStart + expectedEnd > length)
            throw new WeightsTruncatedException($"{name} is truncated: its header promises {dataStart + expectedEnd:N0} bytes, the file has {length:N0}.");
        if (dataStart + expectedEnd < length)
            throw new WeightsFormatException($"{name}: {length - dataStart - expectedEnd:N0} bytes follow the last tensor; the file is damaged.");
        return (entries, dataStart);
    }

    /// <summary>Reads and checks every parameter in <paramref name="expected"/>; the caller disposes the tensors.</summary>
    /// <exception cref="WeightsMismatchException">A key is missing or unexpected, or a shape or dtype is wrong.</exception>
    public static Dictionary<string, Tensor> Read(string path, IReadOnlyList<Vgg19Parameter> expected)
    {
        var (entries, dataStart) = ReadHeader(path);
        var byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var (_, map) = TorchKeyLayout.Resolve(byName.Keys.ToList(), expected, path);
        foreach (var (p, key) in map)
        {
            var e = byName[key];
            Vgg19Layout.CheckShape(p, e.Shape, key, path);
            Vgg19Layout.CheckFloating(DType(e.DType) is not null, e.DType, key, path);
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var stream = File.OpenRead(path);
        try
        {
            foreach (var (p, key) in map)
            {
                var e = byName[key];
                var bytes = new byte[e.End - e.Begin];
                stream.Seek(dataStart + e.Begin, SeekOrigin.Begin);
                stream.ReadExactly(bytes);
                using var raw = empty(e.Shape, DType(e.DType)!.Value);
                raw.bytes = bytes;
                result[p.Key] = raw.to(ScalarType.Float32).contiguous();
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>The product of <paramref name="shape"/>, or null when it overflows 64 bits.</summary>
    private static long? Elements(long[] shape)
    {
        try
        {
            return shape.Aggregate(1L, (a, b) => checked(a * b));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static ScalarType? DType(string dtype) => dtype switch
    {
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "F64" => ScalarType.Float64,
        _ => null,
    };

    private static int? ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => null,
    };
}
