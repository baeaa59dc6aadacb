using NotebookStyle.Models;

namespace NotebookStyle.Weights;

/// <summary>The parameters of a <see cref="Vgg19"/> in order, and the checks every reader applies against them.</summary>
public static class Vgg19Layout
{
    /// <summary>The 32 tensors (16 kernels, 16 biases) of <paramref name="model"/>, kernel before bias, layer by layer.</summary>
    public static IReadOnlyList<Vgg19Parameter> Of(Vgg19 model)
    {
        var list = new List<Vgg19Parameter>();
        foreach (var (keras, conv, index) in model.Convolutions())
        {
            list.Add(new($"features.{index}.weight", keras, false, conv.weight!.shape));
            list.Add(new($"features.{index}.bias", keras, true, conv.bias!.shape));
        }
        return list;
    }

    /// <summary>Fails on the first difference between a tensor's shape in the file and the architecture's.</summary>
    /// <exception cref="WeightsMismatchException">Shapes differ.</exception>
    public static void CheckShape(Vgg19Parameter expected, IReadOnlyList<long> actual, string nameInFile, string file, string? note = null)
    {
        if (actual.SequenceEqual(expected.Shape)) return;
        throw new WeightsMismatchException(nameInFile,
            $"{Path.GetFileName(file)}: {nameInFile} has shape {Vgg19Parameter.Format(actual)}{note}, but VGG19's {expected.Key} " +
            $"({expected.KerasLayer} {(expected.IsBias ? "bias" : "kernel")}) needs {Vgg19Parameter.Format(expected.Shape)}.");
    }

    /// <summary>Fails unless a tensor's dtype is a floating type (converted to float32 on load).</summary>
    /// <exception cref="WeightsMismatchException">Not a floating dtype.</exception>
    public static void CheckFloating(bool isFloating, string dtype, string nameInFile, string file)
    {
        if (isFloating) return;
        throw new WeightsMismatchException(nameInFile,
            $"{Path.GetFileName(file)}: {nameInFile} has dtype {dtype}; VGG19's weights must be floating point (float32, float16, bfloat16 or float64).");
    }
}
