using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// How a weight family expects its input: channel order, value range, per-channel mean and std, applied to an
/// RGB [0, 1] tensor. <see cref="Invert"/> is the exact inverse. Each weight source names its preprocessing,
/// so weights cannot be paired with the wrong normalisation.
/// </summary>
/// <param name="Name">caffe, torchvision or cntk.</param>
/// <param name="Bgr">Whether channels are reordered to BGR.</param>
/// <param name="Scale">Multiplier from [0, 1] to the network's range (255 for Caffe/CNTK, 1 for torchvision).</param>
/// <param name="Mean">Per-channel mean to subtract, in the network's channel order and range.</param>
/// <param name="Std">Per-channel divisor, in the network's channel order.</param>
public sealed record Preprocessing(string Name, bool Bgr, double Scale, double[] Mean, double[] Std)
{
    /// <summary>Caffe VGG (the Keras and jcjohnson weights): BGR, 0..255, ImageNet mean subtracted, no std.</summary>
    public static Preprocessing Caffe { get; } = new("caffe", true, 255.0, [103.939, 116.779, 123.68], [1, 1, 1]);

    /// <summary>torchvision: RGB in [0, 1], ImageNet mean and std.</summary>
    public static Preprocessing Torchvision { get; } = new("torchvision", false, 1.0, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);

    /// <summary>
    /// The CNTK ResNet18 of Microsoft.ML.DnnImageFeaturizer.ResNet18: BGR, 0..255, minus a mean.
    /// Deviation: the package subtracts a 224×224 mean image; any size needs per-channel values, so its channel means are used.
    /// </summary>
    public static Preprocessing Cntk { get; } = new("cntk", true, 255.0, [103.0626, 115.9029, 123.1516], [1, 1, 1]);

    /// <summary>The three known preprocessings by name.</summary>
    public static Preprocessing Parse(string name) => name.ToLowerInvariant() switch
    {
        "caffe" => Caffe,
        "torchvision" => Torchvision,
        "cntk" => Cntk,
        _ => throw new NotebookStyleException($"Unknown preprocessing '{name}': use caffe, torchvision or cntk."),
    };

    /// <summary>RGB [0, 1] → network input.</summary>
    public Tensor Apply(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var x = Bgr ? rgb.flip(1) : rgb.alias();
        var (mean, std) = Stats(rgb);
        return x.mul(Scale).sub(mean).div(std).MoveToOuterDisposeScope();
    }

    /// <summary>Network input → RGB [0, 1] (not clamped).</summary>
    public Tensor Invert(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Stats(input);
        var x = input.mul(std).add(mean).div(Scale);
        return (Bgr ? x.flip(1) : x).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor Std) Stats(Tensor like) =>
        (tensor(Mean, dtype: like.dtype, device: like.device).view(1, 3, 1, 1),
         tensor(Std, dtype: like.dtype, device: like.device).view(1, 3, 1, 1));

    /// <inheritdoc />
    public override string ToString() => Name;
}
