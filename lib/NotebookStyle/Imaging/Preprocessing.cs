using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// How a weight family expects its input: channel order, value range, per-channel mean and std, applied to an
/// RGB [0, 1] tensor of shape [N, 3, H, W]. <see cref="Invert"/> is the exact inverse (to float rounding). Each
/// weight source names its preprocessing, so weights cannot be paired with the wrong normalisation. Equality is by
/// value (name, order, scale, mean and std).
/// </summary>
/// <param name="Name">caffe, torchvision or cntk.</param>
/// <param name="Bgr">Whether channels are reordered to BGR.</param>
/// <param name="Scale">Multiplier from [0, 1] to the network's range (255 for Caffe/CNTK, 1 for torchvision); positive.</param>
/// <param name="Mean">Three per-channel means to subtract, in the network's channel order and range (copied).</param>
/// <param name="Std">Three per-channel divisors, in the network's channel order, none zero (copied).</param>
public sealed record Preprocessing(string Name, bool Bgr, double Scale, IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    /// <summary>Multiplier from [0, 1] to the network's range; positive and finite.</summary>
    public double Scale { get; init => field = CheckScale(value); } = CheckScale(Scale);

    /// <summary>Three per-channel means to subtract, in the network's channel order and range (a read-only copy).</summary>
    public IReadOnlyList<double> Mean { get; init => field = Three(value, nameof(Mean), zeroAllowed: true); } = Three(Mean, nameof(Mean), zeroAllowed: true);

    /// <summary>Three per-channel divisors, in the network's channel order (a read-only copy); none is zero.</summary>
    public IReadOnlyList<double> Std { get; init => field = Three(value, nameof(Std), zeroAllowed: false); } = Three(Std, nameof(Std), zeroAllowed: false);

    /// <summary>Caffe VGG (the Keras and jcjohnson weights): BGR, 0..255, ImageNet mean subtracted, no std.</summary>
    public static Preprocessing Caffe { get; } = new("caffe", true, 255.0, [103.939, 116.779, 123.68], [1, 1, 1]);

    /// <summary>torchvision: RGB in [0, 1], ImageNet mean and std.</summary>
    public static Preprocessing Torchvision { get; } = new("torchvision", false, 1.0, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);

    /// <summary>
    /// The CNTK ResNet18 of Microsoft.ML.DnnImageFeaturizer.ResNet18: BGR, 0..255, minus a mean.
    /// Deviation: the package subtracts a 224×224 mean image; any size needs per-channel values, so its channel means are used.
    /// </summary>
    public static Preprocessing Cntk { get; } = new("cntk", true, 255.0, [103.0626, 115.9029, 123.1516], [1, 1, 1]);

    /// <summary>The three known preprocessings by name (case-insensitive).</summary>
    public static Preprocessing Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "caffe" => Caffe,
        "torchvision" => Torchvision,
        "cntk" => Cntk,
        _ => throw new NotebookStyleException($"Unknown preprocessing '{name}': use caffe, torchvision or cntk."),
    };

    /// <summary>RGB [0, 1], shape [N, 3, H, W] → network input, same shape, dtype and device.</summary>
    public Tensor Apply(Tensor rgb)
    {
        CheckShape(rgb, "Apply");
        using var scope = NewDisposeScope();
        var x = Bgr ? rgb.flip(1) : rgb.alias();
        var (mean, std) = Stats(rgb);
        return x.mul(Scale).sub(mean).div(std).MoveToOuterDisposeScope();
    }

    /// <summary>Network input, shape [N, 3, H, W] → RGB [0, 1] (not clamped).</summary>
    public Tensor Invert(Tensor input)
    {
        CheckShape(input, "Invert");
        using var scope = NewDisposeScope();
        var (mean, std) = Stats(input);
        var x = input.mul(std).add(mean).div(Scale);
        return (Bgr ? x.flip(1) : x).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor Std) Stats(Tensor like) =>
        (tensor(Mean.ToArray(), dtype: like.dtype, device: like.device).view(1, 3, 1, 1),
         tensor(Std.ToArray(), dtype: like.dtype, device: like.device).view(1, 3, 1, 1));

    private static void CheckShape(Tensor t, string what)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.dim() != 4 || t.shape[1] != 3)
            throw new NotebookStyleException($"Preprocessing.{what} expects a [N, 3, H, W] tensor, got [{string.Join(", ", t.shape)}].");
        if (!t.is_floating_point())
            throw new NotebookStyleException($"Preprocessing.{what} expects a floating-point tensor, got {t.dtype}.");
    }

    private static double CheckScale(double value) =>
        double.IsFinite(value) && value > 0 ? value : throw new NotebookStyleException($"Preprocessing scale must be positive and finite, got {value}.");

    private static IReadOnlyList<double> Three(IReadOnlyList<double> values, string name, bool zeroAllowed)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count != 3) throw new NotebookStyleException($"Preprocessing {name} needs 3 values (one per channel), got {values.Count}.");
        var copy = values.ToArray();
        foreach (var v in copy)
            if (!double.IsFinite(v) || (!zeroAllowed && v == 0))
                throw new NotebookStyleException($"Preprocessing {name} values must be finite{(zeroAllowed ? "" : " and non-zero")}, got [{string.Join(", ", copy)}].");
        return Array.AsReadOnly(copy);
    }

    /// <summary>Value equality: same name, channel order, scale, means and stds.</summary>
    public bool Equals(Preprocessing? other) =>
        other is not null && Name == other.Name && Bgr == other.Bgr && Scale == other.Scale
        && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Bgr, Scale, Mean[0], Mean[1], Mean[2], Std[0], Std[1]);

    /// <inheritdoc />
    public override string ToString() => Name;
}
