using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;

namespace NotebookStyle.Cli;

/// <summary>
/// The words the CLI's choice options accept, each table once: the library's own values, spelled as a user types them
/// (an enum's name in lower case unless named here). The options parse with them; the metrics spell with them.
/// </summary>
internal static class OptionWords
{
    /// <summary>--preset: default, strong, subtle.</summary>
    public static Choices<StylePreset> Preset { get; } = Choices.Of<StylePreset>();

    /// <summary>--optimizer: lbfgs, adam.</summary>
    public static Choices<OptimizerKind> Optimizer { get; } = Choices.Of<OptimizerKind>();

    /// <summary>--init: content, noise, style.</summary>
    public static Choices<InitKind> Init { get; } = Choices.Of<InitKind>();

    /// <summary>--network: auto, vgg19, resnet18.</summary>
    public static Choices<NetworkChoice> Network { get; } = Choices.Of<NetworkChoice>();

    /// <summary>--pooling: max, avg.</summary>
    public static Choices<Pooling> Pooling { get; } = Choices.Of((Models.Pooling.Average, "avg"));

    /// <summary>--device: auto, cpu, cuda.</summary>
    public static Choices<DeviceChoice> Device { get; } = Choices.Of<DeviceChoice>();

    /// <summary>--color: none, palette, histogram, preserve (not given: the preset's).</summary>
    public static Choices<ColorMode?> Color { get; } = Choices.Of<ColorMode>().OrNull();

    /// <summary>--weights-preprocessing: caffe, torchvision (the VGG19 families; cntk is the ResNet default's own).</summary>
    public static Choices<Preprocessing?> WeightsPreprocessing { get; } = new(("caffe", Preprocessing.Caffe), ("torchvision", Preprocessing.Torchvision));

    /// <summary>--style-loss: gram, wasserstein.</summary>
    public static Choices<StyleLossKind> StyleLoss { get; } = Choices.Of<StyleLossKind>();

    /// <summary>workshop --backend: cpu, cuda.</summary>
    public static Choices<NotebookBackend> Backend { get; } = Choices.Of<NotebookBackend>();
}
