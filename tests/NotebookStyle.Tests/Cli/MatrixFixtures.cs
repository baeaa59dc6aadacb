using System.IO.Compression;
using System.Text;
using NotebookStyle.Tests.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Cli;

/// <summary>
/// Hostile files for the bad-input matrix, crafted byte by byte: weights files whose headers claim more than they
/// hold (legacy torch.save, zip torch.save, safetensors), a VGG19 safetensors file with a NaN in block1_conv1, and
/// region maps. Built once per test run, written into each case's sandbox by its setup.
/// </summary>
public static class MatrixFixtures
{
    /// <summary>A legacy torch.save file (torchvision's 2017 format) whose one storage claims <paramref name="numel"/> floats and holds none.</summary>
    public static byte[] LegacyTorchClaiming(long numel)
    {
        var file = new List<byte>();
        // Magic number 0x1950a86a20f9469cfc6c as LONG1, protocol version 1001, an empty system-info dict.
        file.AddRange([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.']);
        file.AddRange([0x80, 0x02, (byte)'M', 0xe9, 0x03, (byte)'.']);
        file.AddRange([0x80, 0x02, (byte)'}', (byte)'.']);
        // {"features.0.weight": _rebuild_tensor_v2(persistent ('storage', FloatStorage, "0", "cpu", numel, None), 0, (numel,), (1,), False, OrderedDict())}
        file.AddRange(StateDict(Long(numel), [Long(numel)], [Int(1)], withView: true));
        file.AddRange([0x80, 0x02, (byte)']', .. Unicode("0"), (byte)'a', (byte)'.']); // the storage keys
        file.AddRange(BitConverter.GetBytes(numel)); // the storage's element count, then (nothing of) its data
        return [.. file];
    }

    /// <summary>A zip torch.save file whose tensor claims <paramref name="shape"/> over a one-float storage.</summary>
    public static byte[] ZipPthClaiming(long[] shape)
    {
        long[] strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = stride; stride = unchecked(stride * shape[i]); }
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "archive/data.pkl", StateDict(Int(1), [.. shape.Select(Long)], [.. strides.Select(Long)], withView: false));
            Entry(zip, "archive/data/0", new byte[4]);
            Entry(zip, "archive/version", "3\n"u8.ToArray());
        }
        return buffer.ToArray();

        static void Entry(ZipArchive zip, string name, byte[] bytes)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(bytes);
        }
    }

    /// <summary>A safetensors file whose one F32 tensor claims <paramref name="shape"/> and holds 4 bytes.</summary>
    public static byte[] SafetensorsClaiming(long[] shape) =>
        Safetensors([("features.0.weight", "F32", shape, new byte[4])]);

    /// <summary>VGG19's 32 convolution tensors in F16 (zeros), torchvision's names, with a NaN at the start of block1_conv1's kernel.</summary>
    public static byte[] Vgg19SafetensorsWithNan() => NanVgg19.Value;

    private static readonly Lazy<byte[]> NanVgg19 = new(() =>
    {
        int[] channels = [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512];
        int[] indices = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34];
        var tensors = new List<(string, string, long[], byte[])>();
        int inputs = 3;
        for (int i = 0; i < channels.Length; i++)
        {
            var kernel = new byte[channels[i] * inputs * 9 * 2];
            if (i == 0) { kernel[0] = 0x00; kernel[1] = 0x7e; } // F16 NaN
            tensors.Add(($"features.{indices[i]}.weight", "F16", [channels[i], inputs, 3, 3], kernel));
            tensors.Add(($"features.{indices[i]}.bias", "F16", [channels[i]], new byte[channels[i] * 2]));
            inputs = channels[i];
        }
        return Safetensors(tensors);
    });

    /// <summary>A PNG region map of <paramref name="width"/> × <paramref name="height"/> in <paramref name="colours"/> vertical stripes (the first red, the second green).</summary>
    public static byte[] StripedMap(int width, int height, int colours)
    {
        using var image = new Image<Rgb24>(width, height);
        var palette = Enumerable.Range(0, colours).Select(i => i switch
        {
            0 => new Rgb24(255, 0, 0),
            1 => new Rgb24(0, 255, 0),
            _ => new Rgb24((byte)(i * 7), (byte)(255 - i * 5), (byte)(i * 3 + 1)),
        }).ToArray();
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) row[x] = palette[(long)x * colours / width];
            }
        });
        return ImagingFiles.Encode(image, new PngEncoder { ColorType = PngColorType.Rgb });
    }

    /// <summary>A still 128×96 WebP wrapped in an extended (VP8X) header that claims a 16384×16384 canvas.</summary>
    public static byte[] WebpWithHugeCanvas()
    {
        using var image = new Image<Rgb24>(128, 96, new Rgb24(40, 90, 160));
        byte[] plain = ImagingFiles.Encode(image, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless });
        var chunk = plain[12..]; // the VP8L chunk after "RIFF" size "WEBP"
        const int side = 16384 - 1;
        byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, 0, 0, 0, 0, side & 0xff, (side >> 8) & 0xff, side >> 16, side & 0xff, (side >> 8) & 0xff, side >> 16];
        byte[] body = [.. "WEBP"u8, .. vp8x, .. chunk];
        return [.. "RIFF"u8, .. BitConverter.GetBytes(body.Length), .. body];
    }

    /// <summary>The 3000×3000, 32-colour map of the issue (built once).</summary>
    public static byte[] LargeMap => Large.Value;

    private static readonly Lazy<byte[]> Large = new(() => StripedMap(3000, 3000, 32));

    private static byte[] Safetensors(IReadOnlyList<(string Name, string DType, long[] Shape, byte[] Data)> tensors)
    {
        var json = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            if (json.Length > 1) json.Append(',');
            json.Append($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}}");
            offset += data.Length;
        }
        json.Append('}');
        var header = Encoding.UTF8.GetBytes(json.ToString());
        using var file = new MemoryStream();
        file.Write(BitConverter.GetBytes((ulong)header.Length));
        file.Write(header);
        foreach (var tensor in tensors) file.Write(tensor.Data);
        return file.ToArray();
    }

    /// <summary>The pickled state dict {"features.0.weight": tensor}; its storage's persistent id has the legacy format's view field when <paramref name="withView"/>.</summary>
    private static byte[] StateDict(byte[] storageNumel, byte[][] shape, byte[][] strides, bool withView)
    {
        var p = new List<byte> { 0x80, 0x02, (byte)'}' };
        p.AddRange(Unicode("features.0.weight"));
        p.AddRange(Global("torch._utils", "_rebuild_tensor_v2"));
        p.Add((byte)'(');
        p.Add((byte)'(');
        p.AddRange(Unicode("storage"));
        p.AddRange(Global("torch", "FloatStorage"));
        p.AddRange(Unicode("0"));
        p.AddRange(Unicode("cpu"));
        p.AddRange(storageNumel);
        if (withView) p.Add((byte)'N');
        p.Add((byte)'t');
        p.Add((byte)'Q'); // BINPERSID
        p.AddRange(Int(0));
        p.Add((byte)'(');
        foreach (var d in shape) p.AddRange(d);
        p.Add((byte)'t');
        p.Add((byte)'(');
        foreach (var s in strides) p.AddRange(s);
        p.Add((byte)'t');
        p.Add(0x89); // False
        p.AddRange(Global("collections", "OrderedDict"));
        p.AddRange([(byte)')', (byte)'R']);
        p.AddRange([(byte)'t', (byte)'R', (byte)'s', (byte)'.']);
        return [.. p];
    }

    private static byte[] Unicode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [(byte)'X', .. BitConverter.GetBytes(bytes.Length), .. bytes];
    }

    private static byte[] Global(string module, string name) => [(byte)'c', .. Encoding.ASCII.GetBytes($"{module}\n{name}\n")];

    private static byte[] Int(int value) => [(byte)'J', .. BitConverter.GetBytes(value)];

    /// <summary>A positive integer as Python pickles it: LONG1 with the fewest little-endian two's-complement bytes.</summary>
    private static byte[] Long(long value)
    {
        var bytes = BitConverter.GetBytes(value).ToList();
        while (bytes.Count > 1 && bytes[^1] == 0 && bytes[^2] < 0x80) bytes.RemoveAt(bytes.Count - 1);
        if (bytes[^1] >= 0x80) bytes.Add(0);
        return [0x8a, (byte)bytes.Count, .. bytes];
    }
}
