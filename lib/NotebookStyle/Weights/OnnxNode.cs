namespace NotebookStyle.Weights;

/// <summary>One node of an ONNX graph, with the attributes that describe convolutions, pooling and normalisation.</summary>
/// <param name="Name">The node's name (may be empty).</param>
/// <param name="OpType">The operator, e.g. <c>Conv</c> or <c>BatchNormalization</c>.</param>
/// <param name="Inputs">Names of the values it reads, in the operator's order (for Conv: X, W, optional B).</param>
/// <param name="Outputs">Names of the values it writes.</param>
/// <param name="Ints">Integer and integer-list attributes, e.g. <c>strides</c>, <c>pads</c>, <c>kernel_shape</c>.</param>
/// <param name="Floats">Float attributes, e.g. <c>epsilon</c>.</param>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, long[]> Ints, IReadOnlyDictionary<string, float> Floats)
{
    /// <summary>An integer-list attribute, or <paramref name="fallback"/> when the node does not set it (ONNX defaults).</summary>
    public long[] IntsOr(string attribute, long[] fallback) => Ints.TryGetValue(attribute, out var v) ? v : fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/> when the node does not set it.</summary>
    public float FloatOr(string attribute, float fallback) => Floats.TryGetValue(attribute, out var v) ? v : fallback;

    /// <summary>The node as text for messages, e.g. <c>Conv 'Convolution28' (Input247 → Convolution28_Output_0)</c>.</summary>
    public override string ToString() => $"{OpType} '{Name}' ({string.Join(", ", Inputs)} → {string.Join(", ", Outputs)})";
}
