using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>Raw little-endian float32 files: tensors concatenated, located by <see cref="TensorEntry"/>.</summary>
internal static class RawTensors
{
    /// <summary>Writes the tensors in order and returns their entries.</summary>
    public static List<TensorEntry> Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The raw files are little-endian.");
        var entries = new List<TensorEntry>();
        long offset = 0;
        using var file = File.Create(path);
        foreach (var (name, t) in tensors)
        {
            using var c = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
            float[] values = c.data<float>().ToArray();
            file.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            entries.Add(new TensorEntry(name, c.shape, offset));
            offset += values.Length;
        }
        return entries;
    }

    /// <summary>Reads the entries of <paramref name="path"/> one at a time (one tensor in memory at once), handing each to <paramref name="use"/>.</summary>
    public static void ReadEach(string path, IEnumerable<TensorEntry> entries, Action<string, Tensor> use)
    {
        using var file = File.OpenRead(path);
        long floats = file.Length / sizeof(float);
        foreach (var e in entries)
        {
            long n = e.Shape.Aggregate(1L, (a, b) => a * b);
            if (e.Offset < 0 || e.Offset + n > floats)
                throw new InvalidDataException($"{e.Name} ({n} floats at {e.Offset}) lies outside {path} ({floats} floats).");
            var values = new float[n];
            file.Position = e.Offset * sizeof(float);
            file.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            using var t = tensor(values, e.Shape);
            use(e.Name, t);
        }
    }
}
