using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>
/// The small Gatys problem of tests/reference/lbfgs_reference.py: its manifest, tensors (raw little-endian float32)
/// and PyTorch's results.
/// </summary>
public sealed class GatysReference
{
    /// <summary>One tensor in the data file.</summary>
    public sealed record TensorEntry(string Name, long[] Shape, long Offset);

    /// <summary>One layer's weights, as LayerWeights.</summary>
    public sealed record LayerEntry(string Layer, double StyleWeight, double ContentWeight);

    /// <summary>PyTorch's result for one evaluation budget.</summary>
    public sealed record Run(int Budget, int Evaluations, int Iterations, double Loss, double[] Trace);

    /// <summary>Data file name, next to the manifest.</summary>
    public required string Data { get; init; }

    /// <summary>PyTorch's version.</summary>
    public required string Torch { get; init; }

    /// <summary>The tensors.</summary>
    public required TensorEntry[] Tensors { get; init; }

    /// <summary>Tapped layers.</summary>
    public required LayerEntry[] Layers { get; init; }

    /// <summary>Content weight.</summary>
    public double ContentWeight { get; init; }

    /// <summary>Style weight.</summary>
    public double StyleWeight { get; init; }

    /// <summary>One run per budget.</summary>
    public required Run[] Runs { get; init; }

    /// <summary>The folder it was read from.</summary>
    [JsonIgnore]
    public string Folder { get; private set; } = "";

    /// <summary>Finds tests/reference above the test binaries and reads the manifest.</summary>
    public static GatysReference Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tests", "reference", "gatys_fixture.json")))
            dir = dir.Parent;
        if (dir is null) throw new FileNotFoundException("tests/reference/gatys_fixture.json not found above " + AppContext.BaseDirectory);
        var folder = Path.Combine(dir.FullName, "tests", "reference");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        var r = JsonSerializer.Deserialize<GatysReference>(File.ReadAllText(Path.Combine(folder, "gatys_fixture.json")), options)!;
        r.Folder = folder;
        return r;
    }

    /// <summary>Reads every tensor (float32, CPU).</summary>
    public Dictionary<string, Tensor> ReadTensors()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The fixture is little-endian float32.");
        var bytes = File.ReadAllBytes(Path.Combine(Folder, Data));
        var floats = MemoryMarshal.Cast<byte, float>(bytes);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var t in Tensors)
        {
            long count = t.Shape.Aggregate(1L, (a, b) => a * b);
            result[t.Name] = tensor(floats.Slice((int)t.Offset, (int)count).ToArray(), t.Shape);
        }
        return result;
    }

    /// <summary>A VGG19 (max pooling, Caffe preprocessing) whose first convolutions hold the fixture's weights.</summary>
    public static Vgg19 Network(IReadOnlyDictionary<string, Tensor> tensors)
    {
        var vgg = new Vgg19(Pooling.Max);
        using var _ = no_grad();
        int loaded = 0;
        foreach (var (name, conv, _) in vgg.Convolutions())
        {
            if (!tensors.TryGetValue(name + ".weight", out var w)) continue;
            conv.weight!.copy_(w);
            conv.bias!.copy_(tensors[name + ".bias"]);
            loaded++;
        }
        if (loaded == 0) throw new InvalidOperationException("No weights in the fixture.");
        return vgg;
    }

    /// <summary>The layers as the library's settings.</summary>
    public IReadOnlyList<LayerWeights> LayerWeights() => Layers.Select(l => new LayerWeights(l.Layer, l.StyleWeight, l.ContentWeight)).ToList();
}
