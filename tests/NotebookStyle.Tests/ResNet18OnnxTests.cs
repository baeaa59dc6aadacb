using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests;

/// <summary>The packaged CNTK ResNet18: graph reading, the initializer mapping, strict loading and pretrained sanity.</summary>
public sealed class ResNet18OnnxTests(ResNet18OnnxFixture fx, ITestOutputHelper log) : IClassFixture<ResNet18OnnxFixture>
{
    [Fact]
    public void ReadsTheGraphAsCntkWroteIt()
    {
        var g = fx.Graph;
        Assert.Equal(3, g.IrVersion);
        Assert.Equal(8, g.Opset);
        Assert.StartsWith("CNTK", g.Producer);
        Assert.Equal("Input247", g.Inputs.Single().Name);
        Assert.Equal([1L, 3, 224, 224], g.Inputs.Single().Dims);
        Assert.Equal("Pooling395_Output_0", g.Outputs.Single().Name);
        Assert.Equal([1L, 512, 1, 1], g.Outputs.Single().Dims);
        var ops = g.Nodes.GroupBy(n => n.OpType).ToDictionary(k => k.Key, k => k.Count());
        Assert.Equal(22, ops["Conv"]);
        Assert.Equal(22, ops["BatchNormalization"]);
        Assert.Equal(19, ops["Relu"]);
        Assert.Equal(9, ops["Add"]);
        Assert.Equal(1, ops["MaxPool"]);
        Assert.Equal(1, ops["AveragePool"]);
        Assert.Equal([64L, 3, 7, 7], g.Initializers["Parameter91"].Dims);
    }

    [Fact]
    public void FollowingTheGraphGivesTheMappingFoundByHand()
    {
        var m = fx.Mapping;
        Assert.Equal([2, 2, 2, 3], m.Depths);
        var conv = m.Entries.Where(e => e.Name.EndsWith("conv1.weight") || e.Name.EndsWith("conv2.weight") || e.Name.EndsWith("downsample.0.weight"))
            .ToDictionary(e => e.Name, e => e.Initializer);
        // FACTS.md ("The offline default network"), found independently by reading the graph.
        var expected = new Dictionary<string, int>
        {
            ["conv1"] = 91,
            ["layer1.0.conv1"] = 86, ["layer1.0.conv2"] = 82, ["layer1.1.conv1"] = 77, ["layer1.1.conv2"] = 73,
            ["layer2.0.downsample.0"] = 199, ["layer2.0.conv1"] = 68, ["layer2.0.conv2"] = 64, ["layer2.1.conv1"] = 59, ["layer2.1.conv2"] = 55,
            ["layer3.0.downsample.0"] = 275, ["layer3.0.conv1"] = 50, ["layer3.0.conv2"] = 46, ["layer3.1.conv1"] = 41, ["layer3.1.conv2"] = 37,
            ["layer4.0.downsample.0"] = 351, ["layer4.0.conv1"] = 32, ["layer4.0.conv2"] = 28, ["layer4.1.conv1"] = 23, ["layer4.1.conv2"] = 19,
            ["layer4.2.conv1"] = 14, ["layer4.2.conv2"] = 10,
        };
        Assert.Equal(expected.Count, conv.Count);
        foreach (var (layer, n) in expected) Assert.Equal($"Parameter{n}", conv[$"{layer}.weight"]);

        // Each batch norm: scale ParameterA, bias ParameterA+1, mean ConstantB, variance ConstantB+1.
        var all = m.Entries.ToDictionary(e => e.Name, e => e.Initializer);
        foreach (var bn in all.Keys.Where(k => k.EndsWith(".running_mean")).Select(k => k[..^".running_mean".Length]))
        {
            int a = int.Parse(all[$"{bn}.weight"]["Parameter".Length..]), b = int.Parse(all[$"{bn}.running_mean"]["Constant".Length..]);
            Assert.Equal($"Parameter{a + 1}", all[$"{bn}.bias"]);
            Assert.Equal($"Constant{b + 1}", all[$"{bn}.running_var"]);
        }
        Assert.Equal("Pooling395_Output_0", m.Values["avgpool"]);
    }

    [Fact]
    public void EveryParameterAndStatisticComesFromTheFile()
    {
        var state = fx.Network.state_dict();
        var names = state.Keys.Where(k => !k.EndsWith(".num_batches_tracked")).ToHashSet();
        Assert.Equal(names.Order(), fx.Mapping.Entries.Select(e => e.Name).Order());
        Assert.Equal(names.Count, fx.Mapping.Entries.Select(e => e.Initializer).Distinct().Count());
        // Parameters = conv weights + batch-norm scales and biases of the file.
        long fromFile = fx.Mapping.Entries.Where(e => !e.Name.Contains("running_")).Sum(e => fx.Graph.Initializers[e.Initializer].ElementCount);
        Assert.Equal(fromFile, fx.Network.parameters().Sum(p => p.numel()));
        using var _ = no_grad();
        Assert.Equal(fx.Graph.Initializers["Parameter91"].Values![..5], state["conv1.weight"].flatten()[..5].data<float>().ToArray());
    }

    [Fact]
    public void PretrainedFeaturesSeparateImagesAndRandomOnesDoNot()
    {
        using var random = new ResNet(seed: 1);
        double pretrained = PooledCosine(fx.Network), init = PooledCosine(random);
        log.WriteLine($"cosine of pooled features, golden_gate vs starry_night: pretrained {pretrained:F3}, random init {init:F3}");
        Assert.True(pretrained < 0.8, $"pretrained cosine {pretrained:F3}");
        Assert.True(init > 0.9, $"random-init cosine {init:F3}");
        Assert.True(init - pretrained > 0.2);

        // conv1 filters are smooth (Gabor and colour blobs): neighbouring taps correlate; random filters' do not.
        double smooth = NeighbourCorrelation(fx.Network), noise = NeighbourCorrelation(random);
        log.WriteLine($"conv1 neighbouring-tap correlation: pretrained {smooth:F3}, random init {noise:F3}");
        Assert.True(smooth > 0.3 && Math.Abs(noise) < 0.1, $"{smooth:F3} vs {noise:F3}");
    }

    [Fact]
    public void LoadsFromTheLocatedFileWithItsHash()
    {
        using var network = ResNet18Onnx.Load();
        Assert.Equal("resnet18", network.NetworkName);
        Assert.Equal(Preprocessing.Cntk, network.Preprocessing);
        Assert.All(network.parameters(), p => Assert.False(p.requires_grad));
        using var _ = no_grad();
        using var x = rand(1, 3, 64, 64, generator: new Generator(3));
        var a = network.ExtractRgb(x, ["avgpool"])["avgpool"];
        var b = fx.Network.ExtractRgb(x, ["avgpool"])["avgpool"];
        Assert.Equal(0f, (a - b).abs().max().item<float>());
    }

    [Fact]
    public void AGraphMissingAnInitializerIsANamedError()
    {
        var inits = fx.Graph.Initializers.Where(kv => kv.Key != "Parameter199").ToDictionary();
        var g = new OnnxGraph("edited.onnx", fx.Graph.IrVersion, fx.Graph.Producer, fx.Graph.Opset, fx.Graph.Nodes, inits, fx.Graph.Inputs, fx.Graph.Outputs);
        using var network = new ResNet();
        var ex = Assert.Throws<OnnxMappingException>(() => ResNet18Onnx.LoadInto(network, g, ResNetOnnxMapping.Find(g)));
        Assert.Contains("layer2.0.downsample.0.weight", ex.Message);
        Assert.Contains("Parameter199", ex.Message);
    }

    [Fact]
    public void AMisshapenInitializerIsANamedError()
    {
        var inits = fx.Graph.Initializers.ToDictionary();
        inits["Parameter86"] = new OnnxTensor("Parameter86", [64, 64, 1, 1], "FLOAT", new float[64 * 64]);
        var g = new OnnxGraph("edited.onnx", fx.Graph.IrVersion, fx.Graph.Producer, fx.Graph.Opset, fx.Graph.Nodes, inits, fx.Graph.Inputs, fx.Graph.Outputs);
        using var network = new ResNet();
        var ex = Assert.Throws<OnnxMappingException>(() => ResNet18Onnx.LoadInto(network, g, fx.Mapping));
        Assert.Contains("layer1.0.conv1.weight", ex.Message);
        Assert.Contains("[64, 64, 1, 1]", ex.Message);
    }

    [Fact]
    public void ANetworkOfOtherDepthsIsRefused()
    {
        using var torchvisionDepths = new ResNet([2, 2, 2, 2]);
        var ex = Assert.Throws<OnnxMappingException>(() => ResNet18Onnx.LoadInto(torchvisionDepths, fx.Graph, fx.Mapping));
        Assert.Contains("[2, 2, 2, 3]", ex.Message);
    }

    [Fact]
    public void AGraphThatIsNotAResNetIsANamedError()
    {
        // Cut the graph after the stem: no residual block and no final pool follow the max-pool.
        var stem = fx.Graph.Nodes.TakeWhile(n => n.OpType != "MaxPool").Append(fx.Graph.Nodes.First(n => n.OpType == "MaxPool")).ToList();
        var g = new OnnxGraph("stem.onnx", 3, "test", 8, stem, fx.Graph.Initializers, fx.Graph.Inputs, fx.Graph.Outputs);
        var ex = Assert.Throws<OnnxMappingException>(() => ResNetOnnxMapping.Find(g));
        Assert.Contains("stem.onnx is not a ResNet of basic blocks", ex.Message);
    }

    [Fact]
    public void ATruncatedFileIsANamedError()
    {
        string path = TempCopy(bytes => bytes[..(1 << 20)]);
        try
        {
            var hash = Assert.Throws<OnnxFormatException>(() => ResNet18Onnx.Load(path));
            Assert.Contains("SHA-256", hash.Message);
            var parse = Assert.Throws<OnnxFormatException>(() => ResNet18Onnx.Load(path, verifyHash: false));
            Assert.Contains("not a readable ONNX model", parse.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AFlippedByteIsCaughtByTheHash()
    {
        string path = TempCopy(bytes => { bytes[bytes.Length / 2] ^= 0x40; return bytes; });
        try
        {
            var ex = Assert.Throws<OnnxFormatException>(() => ResNet18Onnx.Load(path));
            Assert.Contains(ResNet18Onnx.Sha256, ex.Message);
        }
        finally { File.Delete(path); }
    }

    private string TempCopy(Func<byte[], byte[]> edit)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"resnet18-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, edit(File.ReadAllBytes(fx.Path)));
        return path;
    }

    private static double PooledCosine(ResNet network)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor Pooled(string name)
        {
            var x = ImageTensor.FromImage(ImageLoader.Resize(ImageLoader.Load(TestPaths.SharedImage(name)), 224, 224));
            return network.ExtractRgb(x, ["avgpool"])["avgpool"].flatten();
        }
        var a = Pooled("golden_gate.jpg");
        var b = Pooled("starry_night.jpg");
        return nn.functional.cosine_similarity(a, b, dim: 0).item<float>();
    }

    private static double NeighbourCorrelation(ResNet network)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var w = network.state_dict()["conv1.weight"]; // [64, 3, 7, 7]
        var centred = w - w.mean([2, 3], keepdim: true);
        var left = centred[.., .., .., ..6].flatten();
        var right = centred[.., .., .., 1..].flatten();
        return nn.functional.cosine_similarity(left, right, dim: 0).item<float>();
    }
}
