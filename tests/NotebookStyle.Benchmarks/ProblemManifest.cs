using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// One benchmark problem (a network at one image size), written once by <c>prepare</c> and read by both runtimes:
/// <c>problem.json</c> (this record, snake_case) beside raw little-endian float32 files.
/// </summary>
/// <param name="Network">vgg19 or resnet18.</param>
/// <param name="WeightsOrigin">Where the weights came from (seeded random VGG19, or the ResNet18.onnx path).</param>
/// <param name="Depths">Blocks per ResNet stage (null for VGG19).</param>
/// <param name="Size">Long side of both images in pixels.</param>
/// <param name="Preprocessing">The network's input normalisation.</param>
/// <param name="Normalization">paper or target_norm.</param>
/// <param name="ContentWeight">Weight of the content term.</param>
/// <param name="StyleWeight">Weight of the style term (split over the style layers by their layer weights).</param>
/// <param name="TvWeight">Weight of total variation (0 for both defaults).</param>
/// <param name="TvPower">Exponent of total variation.</param>
/// <param name="Layers">Tapped layers with the stage each one means in the network.</param>
/// <param name="WeightsFile">File of the parameters and buffers, relative to the manifest.</param>
/// <param name="Parameters">Every floating-point entry of the network's state dict (torchvision names).</param>
/// <param name="ImagesFile">File of the content and style images, relative to the manifest.</param>
/// <param name="Images">content and style, RGB [0, 1], [1, 3, H, W].</param>
/// <param name="ConvFlopsForward">Convolution FLOPs of one forward pass to the deepest tap (2·MAC), counted by hooks.</param>
/// <param name="Lbfgs">L-BFGS settings (the library's defaults).</param>
/// <param name="AdamLearningRate">Adam's learning rate in RGB [0, 1] units (the library's default).</param>
/// <param name="ContentImage">Path of the content image file.</param>
/// <param name="StyleImage">Path of the style image file.</param>
internal sealed record ProblemManifest(
    string Network, string WeightsOrigin, int[]? Depths, int Size, PreprocessingEntry Preprocessing, string Normalization,
    double ContentWeight, double StyleWeight, double TvWeight, double TvPower, List<LayerEntry> Layers,
    string WeightsFile, List<TensorEntry> Parameters, string ImagesFile, List<TensorEntry> Images, long ConvFlopsForward,
    LbfgsEntry Lbfgs, double AdamLearningRate, string ContentImage, string StyleImage)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static ProblemManifest Read(string path) =>
        JsonSerializer.Deserialize<ProblemManifest>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no problem.");

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}

/// <summary>A tensor in a raw float32 file: its name, shape and offset (in floats).</summary>
internal sealed record TensorEntry(string Name, long[] Shape, long Offset);

/// <summary>A tapped layer: the library's name, the stage it resolves to, and its style and content weights.</summary>
internal sealed record LayerEntry(string Layer, string Stage, double Style, double Content);

/// <summary>Channel order, scale, mean and std of the network's input.</summary>
internal sealed record PreprocessingEntry(string Name, bool Bgr, double Scale, double[] Mean, double[] Std);

/// <summary>L-BFGS settings as PyTorch names them.</summary>
internal sealed record LbfgsEntry(double Lr, int HistorySize, double ToleranceGrad, double ToleranceChange, string LineSearchFn, int MaxLineSearch);
