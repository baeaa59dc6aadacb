using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Storage;

namespace NotebookStyle.Weights;

/// <summary>How <see cref="Networks.Load"/> finds and builds a network.</summary>
public sealed record NetworkOptions
{
    /// <summary>VGG19's pooling.</summary>
    public Pooling Pooling { get; init; } = Pooling.Max;

    /// <summary>A local VGG19 weights file (.h5, .pth, .safetensors) instead of the cache.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>The preprocessing of <see cref="WeightsPath"/> when its name does not tell (caffe or torchvision).</summary>
    public Preprocessing? WeightsPreprocessing { get; init; }

    /// <summary>Which known VGG19 weights to use from the cache or the network (default: the Keras example's weights).</summary>
    public WeightSource Source { get; init; } = WeightSource.Default;

    /// <summary>Whether <c>auto</c> and <c>vgg19</c> may download the weights when they are not cached.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>The cache (null: the default one, <c>NOTEBOOKSTYLE_CACHE</c> or the per-user cache folder).</summary>
    public WeightStore? Store { get; init; }

    /// <summary>Download progress, for a terminal bar or a notebook display.</summary>
    public IProgress<DownloadProgress>? DownloadProgress { get; init; }

    /// <summary>Build the network with seeded random weights instead (VGG19, or ResNet18 when it is asked for by name; tests and experiments; results are not pictures).</summary>
    public long? RandomSeed { get; init; }

    /// <summary>A path to ResNet18.onnx instead of the one from the NuGet package.</summary>
    public string? ResNetOnnxPath { get; init; }
}
