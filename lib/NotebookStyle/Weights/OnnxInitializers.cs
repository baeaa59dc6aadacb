using System.Buffers.Binary;
using Google.Protobuf;
using NotebookStyle.Weights.Onnx;

namespace NotebookStyle.Weights;

/// <summary>
/// Reads an ONNX model's graph and initializers with Google.Protobuf and the ONNX schema (Weights/Onnx/onnx-subset.proto,
/// compiled at build time). Only what mapping weights needs is kept: nodes with their integer and float attributes,
/// float initializers, and the real inputs and outputs.
/// </summary>
public static class OnnxInitializers
{
    /// <summary>Reads the model at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxFormatException">Missing, truncated, not an ONNX model, or a tensor whose data does not match its shape.</exception>
    public static OnnxGraph Read(string path)
    {
        if (!File.Exists(path)) throw new OnnxFormatException($"ONNX file not found: {path}");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a model from <paramref name="stream"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="OnnxFormatException">Truncated, not an ONNX model, or a tensor whose data does not match its shape.</exception>
    public static OnnxGraph Read(Stream stream, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxFormatException($"{source} is not a readable ONNX model ({ex.Message}); the file may be truncated or corrupt.", ex);
        }
        // Protobuf accepts many byte strings as some message: a model without a graph or nodes is not an ONNX model.
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.IrVersion <= 0)
            throw new OnnxFormatException($"{source} is not an ONNX model (no IR version or no graph nodes).");

        var g = model.Graph;
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var t in g.Initializer)
        {
            if (!initializers.TryAdd(t.Name, ToTensor(t, source)))
                throw new OnnxFormatException($"{source} has two initializers named '{t.Name}'.");
        }
        var nodes = g.Node.Select(ToNode).ToList();
        var inputs = g.Input.Where(i => !initializers.ContainsKey(i.Name)).Select(i => (i.Name, Shape(i))).ToList();
        var outputs = g.Output.Select(o => (o.Name, Shape(o))).ToList();
        long opset = model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain) || o.Domain == "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        string producer = $"{model.ProducerName} {model.ProducerVersion}".Trim();
        return new OnnxGraph(source, model.IrVersion, producer, opset, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ToNode(NodeProto n)
    {
        var ints = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var floats = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var a in n.Attribute)
        {
            switch (a.Type)
            {
                case AttributeProto.Types.AttributeType.Int: ints[a.Name] = [a.I]; break;
                case AttributeProto.Types.AttributeType.Ints: ints[a.Name] = [.. a.Ints]; break;
                case AttributeProto.Types.AttributeType.Float: floats[a.Name] = a.F; break;
                // IR version 1 had no type field: tell by which value is present.
                case AttributeProto.Types.AttributeType.Undefined when a.Ints.Count > 0: ints[a.Name] = [.. a.Ints]; break;
                case AttributeProto.Types.AttributeType.Undefined when a.HasI: ints[a.Name] = [a.I]; break;
                case AttributeProto.Types.AttributeType.Undefined when a.HasF: floats[a.Name] = a.F; break;
            }
        }
        return new OnnxNode(n.Name, n.OpType, [.. n.Input], [.. n.Output], ints, floats);
    }

    private static long[] Shape(ValueInfoProto v) =>
        v.Type?.TensorType?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray() ?? [];

    private static OnnxTensor ToTensor(TensorProto t, string source)
    {
        long[] dims = [.. t.Dims];
        var type = (TensorProto.Types.DataType)t.DataType;
        string typeName = type.ToString().ToUpperInvariant();
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new OnnxFormatException($"{source}: initializer '{t.Name}' keeps its data in an external file, which is not supported; save the model with its data inside.");
        long count = dims.Aggregate(1L, (a, d) => a * d);
        if (dims.Any(d => d < 0) || count > int.MaxValue)
            throw new OnnxFormatException($"{source}: initializer '{t.Name}' has an invalid shape [{string.Join(", ", dims)}].");

        float[]? values = type switch
        {
            TensorProto.Types.DataType.Float => t.HasRawData ? FromRaw(t, 4, count, source, s => BinaryPrimitives.ReadSingleLittleEndian(s)) : [.. t.FloatData],
            TensorProto.Types.DataType.Double => t.HasRawData ? FromRaw(t, 8, count, source, s => (float)BinaryPrimitives.ReadDoubleLittleEndian(s)) : [.. t.DoubleData.Select(d => (float)d)],
            _ => null,
        };
        if (values is not null && values.Length != count)
            throw new OnnxFormatException($"{source}: initializer '{t.Name}' declares shape [{string.Join(", ", dims)}] ({count:N0} values) but holds {values.Length:N0}; the file is corrupt.");
        return new OnnxTensor(t.Name, dims, typeName, values);
    }

    private delegate float Decode(ReadOnlySpan<byte> bytes);

    private static float[] FromRaw(TensorProto t, int size, long count, string source, Decode decode)
    {
        var raw = t.RawData.Span;
        if (raw.Length != count * size)
            throw new OnnxFormatException($"{source}: initializer '{t.Name}' declares shape [{string.Join(", ", t.Dims)}] ({count * size:N0} bytes) but holds {raw.Length:N0} bytes; the file is corrupt.");
        var values = new float[count];
        if (size == 4 && BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);
            return values;
        }
        for (int i = 0; i < values.Length; i++) values[i] = decode(raw.Slice(i * size, size));
        return values;
    }
}
