using NotebookStyle.Imaging;
using NotebookStyle.Models;
using static TorchSharp.torch;

namespace NotebookStyle.Weights;

/// <summary>
/// Puts real weights into a <see cref="Vgg19"/>: picks the reader by format, lets it check every name, shape and dtype,
/// and copies the tensors. <see cref="Create"/> builds the network with the source's own preprocessing, so weights and
/// normalisation always travel together.
/// </summary>
public static class Vgg19Weights
{
    /// <summary>
    /// A VGG19 with <paramref name="source"/>'s preprocessing and the weights in <paramref name="path"/> (for a local
    /// source, its own path when <paramref name="path"/> is null).
    /// </summary>
    public static Vgg19 Create(WeightSource source, string? path = null, Pooling pooling = Pooling.Max)
    {
        path ??= source.LocalPath ?? throw new ArgumentException($"{source.Name} is not a local file: fetch it with a WeightStore and pass its path.", nameof(path));
        var model = new Vgg19(pooling, source.Preprocessing);
        try
        {
            LoadInto(model, path, source.Format);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> (format detected when <paramref name="format"/> is null) and copies all 32 tensors
    /// into <paramref name="model"/>. Nothing is copied unless every tensor checked out.
    /// </summary>
    /// <exception cref="WeightsFormatException">Not a readable weight file.</exception>
    /// <exception cref="WeightsTruncatedException">The file ends early.</exception>
    /// <exception cref="WeightsMismatchException">The file does not hold VGG19's parameters; names the first mismatch.</exception>
    /// <exception cref="WeightsNonFiniteException">A tensor holds NaN or an infinity; names its layer.</exception>
    public static void LoadInto(Vgg19 model, string path, WeightFormat? format = null)
    {
        if (!File.Exists(path)) throw new WeightsUnavailableException($"Weight file '{path}' does not exist.");
        var expected = Vgg19Layout.Of(model);
        var tensors = (format ?? WeightFormatDetector.Detect(path)) switch
        {
            WeightFormat.KerasHdf5 => KerasHdf5Reader.Read(path, expected),
            WeightFormat.PyTorch => PyTorchReader.Read(path, expected),
            WeightFormat.Safetensors => SafetensorsReader.Read(path, expected),
            var f => throw new WeightsFormatException($"Unknown weight format {f}."),
        };
        try
        {
            using var _ = no_grad();
            CheckFinite(tensors, expected, path);
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
            foreach (var p in expected) parameters[p.Key].copy_(tensors[p.Key]);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Every tensor must be finite: NaN weights would only show as a NaN loss after the first evaluation.</summary>
    private static void CheckFinite(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyList<Vgg19Parameter> expected, string path)
    {
        foreach (var p in expected)
        {
            using var scope = NewDisposeScope();
            long bad = tensors[p.Key].isfinite().logical_not().sum().item<long>();
            if (bad == 0) continue;
            throw new WeightsNonFiniteException(p.KerasLayer,
                $"{Path.GetFileName(path)}: layer {p.KerasLayer} ({p.Key}, {(p.IsBias ? "bias" : "kernel")}) holds {bad:N0} NaN or infinite values; the file is damaged.");
        }
    }
}
