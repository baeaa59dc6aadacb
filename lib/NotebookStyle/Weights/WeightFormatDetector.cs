using System.Text;

namespace NotebookStyle.Weights;

/// <summary>Tells a weight file's format from its first bytes, falling back to the extension.</summary>
public static class WeightFormatDetector
{
    private static readonly byte[] Hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>The format of the file at <paramref name="path"/>.</summary>
    /// <exception cref="WeightsFormatException">Neither the bytes nor the extension name a known format.</exception>
    /// <exception cref="WeightsUnavailableException">The file does not exist.</exception>
    public static WeightFormat Detect(string path)
    {
        if (!File.Exists(path)) throw new WeightsUnavailableException($"Weight file '{path}' does not exist.");
        var head = new byte[512];
        int n;
        using (var stream = File.OpenRead(path)) n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, n);
        if (bytes.StartsWith(Hdf5Signature)) return WeightFormat.KerasHdf5;
        if (bytes.StartsWith("PK\x03\x04"u8)) return WeightFormat.PyTorch; // torch.save's zip format
        if (LegacyTorchFile.Recognise(bytes)) return WeightFormat.PyTorch; // legacy: pickled magic number
        if (TorchTarFile.Recognise(bytes)) return WeightFormat.PyTorch; // torch 0.1.x tar
        if (n >= 10 && bytes[8] == (byte)'{' && BitConverter.ToUInt64(bytes) < (ulong)new FileInfo(path).Length)
            return WeightFormat.Safetensors;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".h5" or ".hdf5" => WeightFormat.KerasHdf5,
            ".pth" or ".pt" or ".bin" => WeightFormat.PyTorch,
            ".safetensors" => WeightFormat.Safetensors,
            _ => throw new WeightsFormatException(
                $"'{path}' is not a weight file this library reads (Keras HDF5, PyTorch .pth, safetensors); it starts with " +
                $"'{Encoding.ASCII.GetString(bytes[..Math.Min(8, n)]).Replace('\0', '.')}'."),
        };
    }
}
