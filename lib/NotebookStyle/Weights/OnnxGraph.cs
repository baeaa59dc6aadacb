namespace NotebookStyle.Weights;

/// <summary>
/// What <see cref="OnnxInitializers"/> read from an ONNX model: its nodes in the file's (topological) order, its
/// initializers by name, and its real inputs and outputs (graph inputs that are initializers are left out).
/// </summary>
public sealed class OnnxGraph
{
    private readonly Dictionary<string, OnnxNode> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);

    /// <summary>Indexes the nodes by the values they read and write.</summary>
    /// <param name="source">The file it came from, for messages.</param>
    /// <param name="irVersion">The ONNX IR version.</param>
    /// <param name="producer">Producer name and version, e.g. <c>CNTK 2.6</c>.</param>
    /// <param name="opset">The default-domain operator set version (0 if none is declared).</param>
    /// <param name="nodes">The nodes, in the file's order.</param>
    /// <param name="initializers">The initializers by name.</param>
    /// <param name="inputs">The graph's inputs that are not initializers, with their shapes (-1 for a symbolic dimension).</param>
    /// <param name="outputs">The graph's outputs, with their shapes.</param>
    public OnnxGraph(string source, long irVersion, string producer, long opset, IReadOnlyList<OnnxNode> nodes,
        IReadOnlyDictionary<string, OnnxTensor> initializers, IReadOnlyList<(string Name, long[] Dims)> inputs,
        IReadOnlyList<(string Name, long[] Dims)> outputs)
    {
        (Source, IrVersion, Producer, Opset, Nodes, Initializers, Inputs, Outputs) =
            (source, irVersion, producer, opset, nodes, initializers, inputs, outputs);
        foreach (var n in nodes)
        {
            foreach (var o in n.Outputs) _producers.TryAdd(o, n);
            foreach (var i in n.Inputs.Distinct())
            {
                if (!_consumers.TryGetValue(i, out var list)) _consumers[i] = list = [];
                list.Add(n);
            }
        }
    }

    /// <summary>The file it came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The ONNX IR version.</summary>
    public long IrVersion { get; }

    /// <summary>Producer name and version, e.g. <c>CNTK 2.6</c>.</summary>
    public string Producer { get; }

    /// <summary>The default-domain operator set version (0 if none is declared).</summary>
    public long Opset { get; }

    /// <summary>The nodes, in the file's order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>The initializers by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }

    /// <summary>The graph's inputs that are not initializers, with their shapes (-1 for a symbolic dimension).</summary>
    public IReadOnlyList<(string Name, long[] Dims)> Inputs { get; }

    /// <summary>The graph's outputs, with their shapes.</summary>
    public IReadOnlyList<(string Name, long[] Dims)> Outputs { get; }

    /// <summary>The node that writes <paramref name="value"/>, or null for a graph input or initializer.</summary>
    public OnnxNode? Producing(string value) => _producers.TryGetValue(value, out var n) ? n : null;

    /// <summary>The nodes that read <paramref name="value"/>, in the file's order.</summary>
    public IReadOnlyList<OnnxNode> Consuming(string value) => _consumers.TryGetValue(value, out var n) ? n : [];
}
