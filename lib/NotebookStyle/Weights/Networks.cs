using NotebookStyle.Backend;
using NotebookStyle.Models;
using NotebookStyle.Storage;
using TorchSharp;

namespace NotebookStyle.Weights;

/// <summary>
/// Builds the network a user asked for — the same choice for the library, the CLI and the notebooks:
/// <c>vgg19</c> (the paper's network; weights from a local file, the cache or a download), <c>resnet18</c> (the
/// ImageNet-pretrained ResNet18 from the Microsoft.ML.DnnImageFeaturizer.ResNet18 NuGet package: works offline), and
/// <c>auto</c> (VGG19 when its weights are cached or can be downloaded, otherwise ResNet18 with a notice saying why).
/// </summary>
public static class Networks
{
    /// <summary>Parses <c>auto|vgg19|resnet18</c>.</summary>
    public static NetworkChoice Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => NetworkChoice.Auto,
        "vgg19" or "vgg" => NetworkChoice.Vgg19,
        "resnet18" or "resnet" => NetworkChoice.ResNet18,
        _ => throw new NotebookStyleException($"Unknown network '{text}': use auto, vgg19 or resnet18."),
    };

    /// <summary>Loads the chosen network onto <paramref name="device"/>, frozen.</summary>
    /// <exception cref="WeightsUnavailableException"><c>vgg19</c> was asked for and its weights cannot be had; the message says where to put the file.</exception>
    public static LoadedNetwork Load(NetworkChoice choice, torch.Device device, NetworkOptions? options = null)
    {
        TorchBackend.EnsureLoaded();
        var loaded = Build(choice, options ?? new NetworkOptions());
        loaded.Network.to(device);
        return loaded;
    }

    private static LoadedNetwork Build(NetworkChoice choice, NetworkOptions options)
    {
        if (options.RandomSeed is long seed)
        {
            if (choice == NetworkChoice.ResNet18)
                return new LoadedNetwork(new ResNet(seed: seed), $"random (seed {seed})",
                    [$"ResNet18 with seeded random weights (seed {seed}): useful for tests and for seeing what training gives, not for pictures."]) { Trained = false };
            return new LoadedNetwork(new Vgg19(options.Pooling, seed: seed), $"random (seed {seed})",
                [$"VGG19 with seeded random weights (seed {seed}): useful for tests, not for pictures."]) { Trained = false };
        }
        if (options.WeightsPath is { } file)
        {
            if (choice == NetworkChoice.ResNet18) throw new NotebookStyleException("--weights is a VGG19 weights file; the ResNet default needs none.");
            if (string.IsNullOrWhiteSpace(file)) throw new WeightsUnavailableException("The weights path is empty; give a .h5, .pth or .safetensors file.");
            if (Directory.Exists(file))
                throw new WeightsUnavailableException($"Weights path {file} is a folder; give the weights file inside it (.h5, .pth or .safetensors).");
            if (!File.Exists(file)) throw new WeightsUnavailableException($"Weights file not found: {file}");
            var source = WeightSource.FindKnown(Path.GetFileName(file)) is { } known
                ? known with { LocalPath = Path.GetFullPath(file) }
                : WeightSource.FromFile(file, options.WeightsPreprocessing);
            return new LoadedNetwork(Vgg19Weights.Create(source, pooling: options.Pooling), Path.GetFullPath(file), []);
        }
        if (choice == NetworkChoice.ResNet18) return ResNetDefault(options, null);
        try
        {
            return Vgg19FromStore(choice, options);
        }
        catch (CacheUnusableException ex) when (choice == NetworkChoice.Auto)
        {
            return ResNetDefault(options, $"the weights cache cannot be used ({ex.Message})");
        }
    }

    private static LoadedNetwork Vgg19FromStore(NetworkChoice choice, NetworkOptions options)
    {
        using var ownStore = options.Store is null ? new WeightStore() : null;
        var store = options.Store ?? ownStore!;
        if (store.TryGetCached(options.Source, out var cached))
            return new LoadedNetwork(Vgg19Weights.Create(options.Source, cached, options.Pooling), cached, []);
        if (choice == NetworkChoice.Vgg19 || options.AllowDownload)
        {
            try
            {
                if (!options.AllowDownload) throw new WeightsUnavailableException($"{options.Source.Name} is not cached at {store.PathFor(options.Source)} and downloads are off.");
                string path = store.Fetch(options.Source, options.DownloadProgress);
                return new LoadedNetwork(Vgg19Weights.Create(options.Source, path, options.Pooling), path, []);
            }
            catch (WeightsUnavailableException ex) when (choice == NetworkChoice.Auto)
            {
                return ResNetDefault(options, $"VGG19 weights are not available ({ex.Message})");
            }
        }
        return ResNetDefault(options, $"VGG19 weights are not cached at {store.PathFor(options.Source)} and downloads are off.");
    }

    /// <param name="options">The options (where the ONNX file is).</param>
    /// <param name="fallbackReason">Why <c>auto</c> fell back to it, or null when ResNet18 was asked for.</param>
    private static LoadedNetwork ResNetDefault(NetworkOptions options, string? fallbackReason)
    {
        string file = ResNet18Onnx.Locate(options.ResNetOnnxPath);
        string[] notices = fallbackReason is null ? [] : [LoadedNetwork.FallbackNotice(fallbackReason)];
        return new LoadedNetwork(ResNet18Onnx.Load(file), file, notices) { FallbackReason = fallbackReason };
    }
}
