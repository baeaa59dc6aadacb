using NotebookStyle.Backend;
using NotebookStyle.Models;
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
        var o = options ?? new NetworkOptions();
        var loaded = Build(choice, o);
        loaded.Network.to(device);
        return loaded;
    }

    private static LoadedNetwork Build(NetworkChoice choice, NetworkOptions o)
    {
        if (o.RandomSeed is long seed)
        {
            if (choice == NetworkChoice.ResNet18) throw new NotebookStyleException("Random weights are for VGG19 only; the ResNet default is always pretrained.");
            return new LoadedNetwork(new Vgg19(o.Pooling, seed: seed), $"random (seed {seed})",
                [$"VGG19 with seeded random weights (seed {seed}): useful for tests, not for pictures."]);
        }
        if (o.WeightsPath is { } file)
        {
            if (choice == NetworkChoice.ResNet18) throw new NotebookStyleException("--weights is a VGG19 weights file; the ResNet default needs none.");
            if (!File.Exists(file)) throw new WeightsUnavailableException($"Weights file not found: {file}");
            var source = WeightSource.FindKnown(Path.GetFileName(file)) is { } known
                ? known with { LocalPath = Path.GetFullPath(file) }
                : WeightSource.FromFile(file, o.WeightsPreprocessing);
            return new LoadedNetwork(Vgg19Weights.Create(source, pooling: o.Pooling), Path.GetFullPath(file), []);
        }
        if (choice == NetworkChoice.ResNet18) return ResNetDefault(o, []);

        using var ownStore = o.Store is null ? new WeightStore() : null;
        var store = o.Store ?? ownStore!;
        if (store.TryGetCached(o.Source, out var cached))
            return new LoadedNetwork(Vgg19Weights.Create(o.Source, cached, o.Pooling), cached, []);
        if (choice == NetworkChoice.Vgg19 || o.AllowDownload)
        {
            try
            {
                if (!o.AllowDownload) throw new WeightsUnavailableException($"{o.Source.Name} is not cached at {store.PathFor(o.Source)} and downloads are off.");
                string path = store.Fetch(o.Source, o.DownloadProgress);
                return new LoadedNetwork(Vgg19Weights.Create(o.Source, path, o.Pooling), path, []);
            }
            catch (WeightsUnavailableException ex) when (choice == NetworkChoice.Auto)
            {
                return ResNetDefault(o, [$"Using the offline ResNet18 default: VGG19 weights are not available ({ex.Message})"]);
            }
        }
        return ResNetDefault(o, [$"Using the offline ResNet18 default: VGG19 weights are not cached at {store.PathFor(o.Source)} and downloads are off."]);
    }

    private static LoadedNetwork ResNetDefault(NetworkOptions o, IReadOnlyList<string> notices)
    {
        string file = ResNet18Onnx.Locate(o.ResNetOnnxPath);
        return new LoadedNetwork(ResNet18Onnx.Load(file), file, notices);
    }
}
