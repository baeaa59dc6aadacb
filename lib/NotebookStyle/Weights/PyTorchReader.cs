using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookStyle.Weights;

/// <summary>
/// Reads VGG19's features from a PyTorch state dict written by <c>torch.save</c>: the zip format with
/// TorchSharp.PyBridge's unpickler, the legacy format (torchvision's 2017 files) with <see cref="LegacyTorchFile"/>.
/// Keys are matched strictly through <see cref="TorchKeyLayout"/> (whole torchvision model with its classifier ignored,
/// or a bare <c>features</c> state dict), then every shape and dtype is checked.
/// </summary>
public static class PyTorchReader
{
    /// <summary>Every tensor in a torch.save'd state dict, by key; the caller disposes them.</summary>
    /// <exception cref="WeightsTruncatedException">The file ends early.</exception>
    /// <exception cref="WeightsFormatException">Not a torch.save file this reader understands.</exception>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        string name = Path.GetFileName(path);
        var head = new byte[264];
        int n;
        using (var probe = File.OpenRead(path)) n = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (LegacyTorchFile.Recognise(head.AsSpan(0, n))) return LegacyTorchFile.Read(path);
        if (TorchTarFile.Recognise(head.AsSpan(0, n))) return TorchTarFile.Read(path);
        if (!head.AsSpan(0, n).StartsWith("PK\x03\x04"u8))
            throw new WeightsFormatException($"{name} is not a file written by torch.save (neither its zip nor its legacy format).");

        CheckZipClaims(path, name);
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
        }
        catch (InvalidDataException e) when (e.Message.Contains("Central Directory", StringComparison.OrdinalIgnoreCase))
        {
            // A zip's directory is at its end: a file cut short loses it first.
            throw new WeightsTruncatedException($"{name} is truncated: its zip directory (at the end of the file) is missing. Download or copy it again.", e);
        }
        catch (Exception e) when (e is not NotebookStyleException)
        {
            throw new WeightsFormatException($"{name}: PyBridge cannot read it as a torch.save state dict ({LegacyTorchFile.Reason(e)}).", e);
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
            if (entry.Value is Tensor t) result[(string)entry.Key] = t;
        return result;
    }

    /// <summary>
    /// Before the zip reader makes any tensor: what <c>data.pkl</c> claims (element counts, shapes) must fit the
    /// storages the zip holds, so a file claiming a [1048576, 1048576] tensor is refused here in one sentence instead of
    /// reaching the native allocator.
    /// </summary>
    private static void CheckZipClaims(string path, string name)
    {
        System.IO.Compression.ZipArchive zip;
        try
        {
            zip = System.IO.Compression.ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            return; // a damaged zip: the reader below names it
        }
        using (zip)
        {
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl");
            if (pickle is null) return;
            string prefix = pickle.FullName[..^"data.pkl".Length] + "data/";
            var storages = zip.Entries.Where(e => e.FullName.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(e => e.FullName[prefix.Length..], e => e.Length, StringComparer.Ordinal);
            if (pickle.Length > 1L << 30) throw new WeightsFormatException($"{name}: a {pickle.Length:N0}-byte state-dict pickle is not plausible.");
            using var stream = pickle.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            buffer.Position = 0;
            LegacyTorchFile.CheckZipClaims(buffer, storages, name);
        }
    }

    /// <summary>
    /// Reads and checks every parameter in <paramref name="expected"/> from <paramref name="path"/>.
    /// </summary>
    /// <returns>Float32 contiguous tensors keyed by <see cref="Vgg19Parameter.Key"/>; the caller disposes them.</returns>
    /// <exception cref="WeightsMismatchException">A key is missing or unexpected, or a shape or dtype is wrong.</exception>
    public static Dictionary<string, Tensor> Read(string path, IReadOnlyList<Vgg19Parameter> expected)
    {
        var all = ReadStateDict(path);
        try
        {
            return Select(all, expected, path);
        }
        finally
        {
            foreach (var t in all.Values) t.Dispose();
        }
    }

    /// <summary>Maps, checks and converts a PyTorch-named state dict (shared with the safetensors reader).</summary>
    internal static Dictionary<string, Tensor> Select(IReadOnlyDictionary<string, Tensor> all, IReadOnlyList<Vgg19Parameter> expected, string path)
    {
        var (_, map) = TorchKeyLayout.Resolve(all.Keys.ToList(), expected, path);
        foreach (var (p, key) in map)
        {
            var t = all[key];
            Vgg19Layout.CheckShape(p, t.shape, key, path);
            Vgg19Layout.CheckFloating(t.is_floating_point(), t.dtype.ToString(), key, path);
        }
        return map.ToDictionary(m => m.Parameter.Key, m => all[m.FileKey].to(ScalarType.Float32).contiguous(), StringComparer.Ordinal);
    }
}
