using System.Buffers.Binary;
using PureHDF;
using PureHDF.VOL.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Weights;

/// <summary>
/// Reads Keras' legacy HDF5 weights (the Keras example's <c>vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5</c>) with PureHDF,
/// the way Keras' <c>load_weights_from_hdf5_group</c> does: the layers are the root attribute <c>layer_names</c>, and each
/// layer's datasets are listed, kernel then bias, in its group's attribute <c>weight_names</c> — no name is guessed.
/// Kernels are HWIO (3, 3, in, out) and become PyTorch's OIHW.
/// </summary>
public static class KerasHdf5Reader
{
    /// <summary>Keras' classifier layers (in files saved with <c>include_top=True</c>): ignored by name.</summary>
    public static IReadOnlySet<string> IgnoredLayers { get; } = new HashSet<string>(["flatten", "fc1", "fc2", "predictions"], StringComparer.Ordinal);

    /// <summary>
    /// Reads every parameter in <paramref name="expected"/> from <paramref name="path"/>, checking layer names, dataset
    /// count, shapes and dtypes before any data is read.
    /// </summary>
    /// <returns>Float32 tensors keyed by <see cref="Vgg19Parameter.Key"/>; the caller disposes them.</returns>
    /// <exception cref="WeightsTruncatedException">The file is shorter than its superblock says.</exception>
    /// <exception cref="WeightsFormatException">Not HDF5, or not Keras' layout.</exception>
    /// <exception cref="WeightsMismatchException">A layer is missing or unexpected, or a shape or dtype is wrong.</exception>
    public static Dictionary<string, Tensor> Read(string path, IReadOnlyList<Vgg19Parameter> expected)
    {
        string name = Path.GetFileName(path);
        CheckLength(path);
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not NotebookStyleException)
        {
            throw new WeightsFormatException($"{name} is not a readable HDF5 file: {e.Message}", e);
        }

        using (file)
        {
            var plan = new List<(Vgg19Parameter Parameter, IH5Dataset Dataset, string DatasetPath)>();
            try
            {
                var layers = Strings(file, "layer_names", name, "the file");
                var present = new HashSet<string>(layers, StringComparer.Ordinal);
                foreach (var layer in expected.Select(p => p.KerasLayer).Distinct())
                    if (!present.Contains(layer))
                        throw new WeightsMismatchException(layer,
                            $"{name}: layer {layer} is missing from layer_names (the file lists {string.Join(", ", layers)}).");

                var wanted = expected.GroupBy(p => p.KerasLayer).ToDictionary(g => g.Key, g => g.ToList());
                foreach (var layer in layers)
                {
                    var group = file.Group(layer);
                    var weightNames = Strings(group, "weight_names", name, $"layer {layer}");
                    if (!wanted.TryGetValue(layer, out var parameters))
                    {
                        if (weightNames.Length == 0 || IgnoredLayers.Contains(layer)) continue;
                        throw new WeightsMismatchException(layer,
                            $"{name}: layer {layer} has weights ({string.Join(", ", weightNames)}) but is not a layer of VGG19's convolutional part.");
                    }
                    var kernel = parameters.Single(p => !p.IsBias);
                    var bias = parameters.Single(p => p.IsBias);
                    if (weightNames.Length != 2)
                        throw new WeightsMismatchException(layer,
                            $"{name}: layer {layer} lists {weightNames.Length} weights ({string.Join(", ", weightNames)}); a Conv2D has a kernel and a bias.");
                    // Keras' order: kernel, then bias.
                    plan.Add(Plan(group, layer, weightNames[0], kernel, name));
                    plan.Add(Plan(group, layer, weightNames[1], bias, name));
                }
            }
            catch (Exception e) when (e is not NotebookStyleException)
            {
                throw new WeightsFormatException($"{name}: not a Keras weights file ({e.Message}).", e);
            }

            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            try
            {
                foreach (var (p, dataset, datasetPath) in plan)
                {
                    float[] data = ReadFloats(dataset);
                    using var raw = tensor(data, dtype: float32);
                    result[p.Key] = p.IsBias
                        ? raw.clone()
                        : raw.view(p.Shape[2], p.Shape[3], p.Shape[1], p.Shape[0]).permute(3, 2, 0, 1).contiguous(); // HWIO → OIHW
                }
            }
            catch (Exception e)
            {
                foreach (var t in result.Values) t.Dispose();
                if (e is NotebookStyleException) throw;
                throw new WeightsFormatException($"{name}: reading the data failed ({e.Message}); the file is damaged.", e);
            }
            return result;
        }
    }

    private static (Vgg19Parameter, IH5Dataset, string) Plan(IH5Group group, string layer, string weightName, Vgg19Parameter p, string file)
    {
        string datasetPath = $"{layer}/{weightName}";
        if (!group.LinkExists(weightName))
            throw new WeightsMismatchException(datasetPath, $"{file}: {datasetPath} is listed in weight_names but is not in the file.");
        var dataset = group.Dataset(weightName);
        var dims = dataset.Space.Dimensions.Select(d => (long)d).ToArray();
        // Keras kernels are HWIO: compare in that order, report in both.
        var wanted = p.IsBias ? p.Shape : [p.Shape[2], p.Shape[3], p.Shape[1], p.Shape[0]];
        if (!dims.SequenceEqual(wanted))
            Vgg19Layout.CheckShape(p, p.IsBias ? dims : dims.Length == 4 ? [dims[3], dims[2], dims[0], dims[1]] : dims, datasetPath, file,
                p.IsBias || dims.Length != 4 ? null : $" (HWIO {Vgg19Parameter.Format(dims)})");
        var type = dataset.Type;
        Vgg19Layout.CheckFloating(type.Class == H5DataTypeClass.FloatingPoint && type.Size is 4 or 8,
            $"{type.Class} of {type.Size} bytes", datasetPath, file);
        return (p, dataset, datasetPath);
    }

    private static float[] ReadFloats(IH5Dataset dataset) =>
        dataset.Type.Size == 4 ? dataset.Read<float[]>() : dataset.Read<double[]>().Select(d => (float)d).ToArray();

    private static string[] Strings(IH5Object owner, string attribute, string file, string what)
    {
        if (!owner.AttributeExists(attribute))
            throw new WeightsFormatException($"{file}: {what} has no '{attribute}' attribute; this is not a Keras weights file (Keras' save_weights layout).");
        var attr = owner.Attribute(attribute);
        // Keras writes an empty float array for a layer without weights.
        if (attr.Space.Dimensions.Aggregate(1UL, (a, b) => a * b) == 0) return [];
        if (attr.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
            throw new WeightsFormatException($"{file}: {what}'s '{attribute}' attribute holds {attr.Type.Class}, not names.");
        return attr.Read<string[]>().Select(s => s.TrimEnd('\0')).ToArray();
    }

    /// <summary>
    /// Compares the file's length with the end-of-file address in its HDF5 superblock (HDF5 format spec, superblock: at byte 40 in
    /// version 0, 44 in version 1, 28 in versions 2–3), so that a cut-off file is named as such rather than failing somewhere inside.
    /// </summary>
    private static void CheckLength(string path)
    {
        Span<byte> head = stackalloc byte[52];
        long length;
        using (var stream = File.OpenRead(path))
        {
            length = stream.Length;
            if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length ||
                !head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a]))
            {
                if (length < 52 && length > 0 && head[0] == 0x89)
                    throw new WeightsTruncatedException($"{Path.GetFileName(path)} is truncated: only {length} bytes.");
                throw new WeightsFormatException($"{Path.GetFileName(path)} is not an HDF5 file (no HDF5 signature at its start).");
            }
        }
        int version = head[8];
        int offsetSize = version <= 1 ? head[13] : head[9];
        if (offsetSize != 8) return; // 8-byte addresses are what h5py and Keras write; others are not checked here
        ulong end = BinaryPrimitives.ReadUInt64LittleEndian(head[(version == 0 ? 40 : version == 1 ? 44 : 28)..]);
        if ((ulong)length < end)
            throw new WeightsTruncatedException(
                $"{Path.GetFileName(path)} is truncated: it has {length:N0} bytes but its HDF5 superblock says {end:N0}. Download or copy it again.");
    }
}
