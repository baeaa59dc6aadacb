namespace NotebookStyle.Weights;

/// <summary>
/// One tensor VGG19's convolutional part holds, under both naming schemes: PyTorch's <c>features.N.weight|bias</c>
/// and Keras' layer (<c>blockB_convC</c>). Shapes are PyTorch's: OIHW kernels, [O] biases.
/// </summary>
/// <param name="Key">PyTorch name, e.g. <c>features.0.weight</c>.</param>
/// <param name="KerasLayer">Keras layer name, e.g. <c>block1_conv1</c>.</param>
/// <param name="IsBias">Bias (true) or kernel (false).</param>
/// <param name="Shape">Expected shape.</param>
public sealed record Vgg19Parameter(string Key, string KerasLayer, bool IsBias, long[] Shape)
{
    /// <summary>The shape as PyTorch prints it, e.g. <c>[64, 3, 3, 3]</c>.</summary>
    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
