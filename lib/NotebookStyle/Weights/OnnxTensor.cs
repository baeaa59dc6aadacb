namespace NotebookStyle.Weights;

/// <summary>One initializer of an ONNX graph: its name, shape and values (float32 and float64 are read; float64 is narrowed).</summary>
/// <param name="Name">The initializer's name, e.g. <c>Parameter91</c>.</param>
/// <param name="Dims">Its shape, e.g. [64, 3, 7, 7].</param>
/// <param name="DataType">The ONNX element type's name, e.g. <c>FLOAT</c>.</param>
/// <param name="Values">The values in row-major order, or null for an element type other than float.</param>
public sealed record OnnxTensor(string Name, long[] Dims, string DataType, float[]? Values)
{
    /// <summary>The number of elements its shape declares.</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>The shape as text, e.g. <c>[64, 3, 7, 7]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Dims)}]";

    /// <summary>The float values.</summary>
    /// <exception cref="OnnxFormatException">The tensor's element type is not float.</exception>
    public float[] Floats() => Values ?? throw new OnnxFormatException($"Initializer '{Name}' holds {DataType} values, not float.");
}
