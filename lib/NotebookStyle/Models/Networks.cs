using NotebookStyle.Backend;
using TorchSharp;

namespace NotebookStyle.Models;

/// <summary>Builds the network a user asked for: the same choice for the library, the CLI and the notebooks.</summary>
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

    /// <summary>Loads the chosen network onto <paramref name="device"/>.</summary>
    /// <param name="choice">Which network.</param>
    /// <param name="device">Where it runs.</param>
    /// <param name="pooling">VGG19's pooling.</param>
    /// <param name="weightsPath">A local weights file (VGG19), instead of the cache.</param>
    /// <param name="randomSeed">Build VGG19 with seeded random weights instead (for tests and experiments).</param>
    public static LoadedNetwork Load(NetworkChoice choice, torch.Device device, Pooling pooling = Pooling.Max, string? weightsPath = null, long? randomSeed = null)
    {
        TorchBackend.EnsureLoaded();
        if (randomSeed is long seed || choice != NetworkChoice.ResNet18)
        {
            long s = randomSeed ?? 0;
            var vgg = new Vgg19(pooling, seed: s);
            vgg.to(device);
            return new LoadedNetwork(vgg, $"random (seed {s})",
                [$"VGG19 with seeded random weights (seed {s}): useful for tests, not for pictures."]);
        }
        throw new NotebookStyleException("The ResNet18 default is not available in this build.");
    }
}
