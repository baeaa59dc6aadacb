using System.Security.Cryptography;
using NotebookStyle.Backend;
using NotebookStyle.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Weights;

/// <summary>
/// The offline default network: the ImageNet-pretrained CNTK ResNet18 that the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (MIT) ships as <c>ResNet18.onnx</c>, loaded into a <see cref="ResNet"/>
/// with depths [2, 2, 2, 3] and CNTK preprocessing. The library downloads the package as data (no assemblies) and copies
/// the file beside the app; <see cref="Locate"/> also finds it in the NuGet cache.
/// </summary>
public static class ResNet18Onnx
{
    /// <summary>The NuGet package that ships the file.</summary>
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>The package version whose file is expected.</summary>
    public const string PackageVersion = "0.23.1";

    /// <summary>Path of the file inside the package's <c>tools/</c> folder and inside an app's output folder.</summary>
    public const string RelativePath = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>SHA-256 of the package's <c>ResNet18.onnx</c> (63,653,533 bytes).</summary>
    public const string Sha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";

    /// <summary>
    /// Where <see cref="Locate"/> looks, in order: beside the app (<c>AppContext.BaseDirectory/DnnImageModels/…</c>), then the
    /// NuGet cache (<c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>).
    /// </summary>
    public static IReadOnlyList<string> Candidates()
    {
        var list = new List<string> { Path.Combine(AppContext.BaseDirectory, RelativePath) };
        string? cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrWhiteSpace(cache))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            cache = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".nuget", "packages");
        }
        if (cache is not null) list.Add(Path.Combine(cache, PackageId.ToLowerInvariant(), PackageVersion, "tools", RelativePath));
        return list;
    }

    /// <summary>The file to load: <paramref name="path"/> when given (it must exist), else the first of <see cref="Candidates"/> that exists.</summary>
    /// <exception cref="ResNet18OnnxNotFoundException">Nothing found; the message lists where it looked and how to get the file.</exception>
    public static string Locate(string? path = null)
    {
        IReadOnlyList<string> tried = path is null ? Candidates() : [Path.GetFullPath(path)];
        foreach (var p in tried)
            if (File.Exists(p)) return p;
        string how = $"Restore the NuGet package {PackageId} {PackageVersion} (e.g. `dotnet restore` of a project that references NotebookStyle, " +
                     $"or `<PackageDownload Include=\"{PackageId}\" Version=\"[{PackageVersion}]\" />`), or pass the path of its {Path.GetFileName(RelativePath)}.";
        throw new ResNet18OnnxNotFoundException(
            $"The offline ResNet18 weights were not found. Looked in: {string.Join("; ", tried)}. {how}", tried);
    }

    /// <summary>
    /// Loads the pretrained network: locates the file (see <see cref="Locate"/>), checks its SHA-256 unless
    /// <paramref name="verifyHash"/> is false (for another CNTK export of the same architecture), reads it and maps it.
    /// </summary>
    /// <exception cref="ResNet18OnnxNotFoundException">No file.</exception>
    /// <exception cref="OnnxFormatException">Not the package's file (hash), truncated or not ONNX.</exception>
    /// <exception cref="OnnxMappingException">Its graph or tensors do not fit the network.</exception>
    public static ResNet Load(string? path = null, bool verifyHash = true, Device? device = null)
    {
        string file = Locate(path);
        if (verifyHash) VerifyHash(file);
        var network = ReadInto(file);
        try
        {
            // The file's bytes and their protobuf copies are garbage now: hand them back before the run allocates its own.
            ProcessMemory.Release();
            if (device is not null) network.to(device);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static ResNet ReadInto(string file)
    {
        var graph = OnnxInitializers.Read(file);
        var mapping = ResNetOnnxMapping.Find(graph);
        var network = new ResNet(mapping.Depths);
        try
        {
            LoadInto(network, graph, mapping);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Throws unless <paramref name="file"/>'s SHA-256 is the package's.</summary>
    /// <exception cref="OnnxFormatException">The hash differs: the file is corrupt, truncated or another model.</exception>
    public static void VerifyHash(string file)
    {
        using var stream = File.OpenRead(file);
        string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != Sha256)
            throw new OnnxFormatException($"{file} is not {PackageId} {PackageVersion}'s ResNet18.onnx: its SHA-256 is {actual}, expected {Sha256} " +
                                          $"({stream.Length:N0} bytes; expected 63,653,533). The file is corrupt or truncated: restore the package again.");
    }

    /// <summary>
    /// Copies the initializers that <paramref name="mapping"/> names into <paramref name="network"/>, strictly: every
    /// parameter and running statistic must be mapped, exist, be float and have the network's shape.
    /// </summary>
    /// <exception cref="OnnxMappingException">The first missing, extra, mistyped or misshapen tensor.</exception>
    public static void LoadInto(ResNet network, OnnxGraph graph, ResNetOnnxMapping mapping)
    {
        if (!mapping.Depths.SequenceEqual(network.Depths))
            throw new OnnxMappingException($"{graph.Source} has blocks per stage [{string.Join(", ", mapping.Depths)}], the network [{string.Join(", ", network.Depths)}].");
        var state = network.state_dict();
        var mapped = mapping.Entries.ToDictionary(e => e.Name, e => e.Initializer, StringComparer.Ordinal);
        foreach (var name in state.Keys.Where(k => !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)))
            if (!mapped.ContainsKey(name)) throw new OnnxMappingException($"{graph.Source} provides no tensor for the network's '{name}'.");
        using var _ = no_grad();
        foreach (var (name, init) in mapping.Entries)
        {
            if (!state.TryGetValue(name, out var target)) throw new OnnxMappingException($"{graph.Source}: the mapping names '{name}', which the network does not have.");
            if (!graph.Initializers.TryGetValue(init, out var source))
                throw new OnnxMappingException($"{graph.Source}: '{name}' should come from initializer '{init}', which the file does not contain.");
            if (source.Values is null) throw new OnnxMappingException($"{graph.Source}: initializer '{init}' for '{name}' holds {source.DataType}, expected FLOAT.");
            if (!source.Dims.SequenceEqual(target.shape))
                throw new OnnxMappingException($"{graph.Source}: initializer '{init}' for '{name}' has shape {source.ShapeText}, the network [{string.Join(", ", target.shape)}].");
            // On the CPU straight into the parameter's storage, without an intermediate tensor of every initializer.
            if (target.device_type == DeviceType.CPU && target.dtype == ScalarType.Float32 && target.is_contiguous())
            {
                target.data<float>().CopyFrom(source.Values, 0, 0);
                continue;
            }
            using var t = tensor(source.Values, source.Dims);
            target.copy_(t);
        }
    }
}
