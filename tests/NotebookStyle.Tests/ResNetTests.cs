using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;
using static TorchSharp.torch;

namespace NotebookStyle.Tests;

/// <summary>The ResNet feature extractor without any weights file: names, taps, shapes, defaults, summary, file location.</summary>
public sealed class ResNetTests
{
    [Fact]
    public void ParametersHaveTorchvisionNames()
    {
        Torch.Ready();
        using var net = new ResNet();
        var names = net.state_dict().Keys.ToHashSet();
        foreach (var n in new[]
                 {
                     "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                     "layer1.0.conv1.weight", "layer1.1.bn2.running_var", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_mean",
                     "layer4.2.conv2.weight", "layer4.0.downsample.1.bias",
                 })
            Assert.Contains(n, names);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names);
        Assert.DoesNotContain("layer4.3.conv1.weight", names);
        Assert.Equal(22, names.Count(n => n.EndsWith("weight") && net.state_dict()[n].dim() == 4));
    }

    [Fact]
    public void TapsHaveResNetShapes()
    {
        Torch.Ready();
        using var net = new ResNet();
        using var _ = no_grad();
        using var x = rand(1, 3, 224, 224, generator: new Generator(1));
        var f = net.ExtractRgb(x, ["conv1", "relu1", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"]);
        Assert.Equal([1L, 64, 112, 112], f["relu1"].shape);
        Assert.Equal([1L, 64, 56, 56], f["maxpool"].shape);
        Assert.Equal([1L, 64, 56, 56], f["layer1"].shape);
        Assert.Equal([1L, 128, 28, 28], f["layer2"].shape);
        Assert.Equal([1L, 256, 14, 14], f["layer3"].shape);
        Assert.Equal([1L, 512, 7, 7], f["layer4"].shape);
        Assert.Equal([1L, 512, 1, 1], f["avgpool"].shape);
        Assert.True(f["relu1"].min().item<float>() >= 0);
    }

    [Fact]
    public void OddSizesRunAndOnlyTheNeededDepthIsComputed()
    {
        Torch.Ready();
        using var net = new ResNet();
        using var _ = no_grad();
        using var x = rand(1, 3, 97, 131, generator: new Generator(2));
        var f = net.ExtractRgb(x, ["relu", "layer4"]);
        Assert.Equal([1L, 64, 49, 66], f["relu"].shape);
        Assert.Equal([1L, 512, 4, 5], f["layer4"].shape);
        Assert.Throws<UnknownLayerException>(() => net.Resolve("layer5"));
    }

    [Fact]
    public void InputGradientsFlowAndWeightsStayFrozen()
    {
        Torch.Ready();
        using var net = new ResNet([1, 1, 1, 1]);
        using var x = rand(1, 3, 32, 32, generator: new Generator(3)).requires_grad_(true);
        net.ExtractRgb(x, ["layer3"])["layer3"].square().sum().backward();
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().item<float>() > 0);
        Assert.All(net.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void DefaultsAreTheMeasuredOnes()
    {
        Torch.Ready();
        using var net = new ResNet();
        var d = net.Defaults;
        Assert.Equal(LossNormalization.TargetNorm, d.Normalization);
        Assert.Equal(30.0, d.StyleWeight / d.ContentWeight);
        Assert.Equal(ColorMode.Histogram, d.Color);
        Assert.Equal(0.7, d.HistogramStrength);
        // Strong goes further towards the painting than the default, subtle less far.
        var strong = net.DefaultsFor(StylePreset.Strong);
        var subtle = net.DefaultsFor(StylePreset.Subtle);
        Assert.True(strong.StyleWeight > d.StyleWeight && d.StyleWeight > subtle.StyleWeight);
        Assert.True(strong.StyleScale > d.StyleScale);
        Assert.True(strong.HistogramStrength > d.HistogramStrength);
        Assert.Equal(ColorMode.Palette, subtle.Color);
        Assert.Same(d, net.DefaultsFor(StylePreset.Default));
        Assert.Equal(["layer2"], d.Layers.Where(l => l.ContentWeight > 0).Select(l => l.Layer));
        Assert.Equal(["relu1", "layer1", "layer2", "layer3", "layer4"], d.Layers.Where(l => l.StyleWeight > 0).Select(l => l.Layer));
        Assert.Single(d.Layers.Select(l => l.StyleWeight).Distinct());
        foreach (var l in d.Layers) net.Resolve(l.Layer);
    }

    [Fact]
    public void SummaryListsEveryBlock()
    {
        Torch.Ready();
        using var net = new ResNet();
        var s = ModelSummary.Create(net);
        Assert.Equal(["input_1", "conv1", "bn1", "relu1", "maxpool", "layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1",
                      "layer4.0", "layer4.1", "layer4.2", "avgpool"], s.Rows.Select(r => r.Name));
        Assert.Equal("(None, 7, 7, 512)", s.Rows.Single(r => r.Name == "layer4.2").OutputShape);
        Assert.Equal("(None, 1, 1, 512)", s.Rows[^1].OutputShape);
        Assert.Equal(9408, s.Rows.Single(r => r.Name == "conv1").Parameters);
        // Every parameter belongs to exactly one row; torchvision resnet18 without fc (11,176,512) plus one 512-wide block.
        Assert.Equal(s.TotalParameters, s.Rows.Sum(r => r.Parameters));
        Assert.Equal(11_176_512 + 2 * (512 * 512 * 9 + 2 * 512), s.TotalParameters);
        Assert.Equal(0, s.TrainableParameters);
        Assert.Contains("layer2.0 (BasicBlock)", s.ToString());
    }

    [Fact]
    public void AMissingFileIsANamedErrorThatSaysWhereItLooked()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir", "ResNet18.onnx");
        var ex = Assert.Throws<ResNet18OnnxNotFoundException>(() => ResNet18Onnx.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(ResNet18Onnx.PackageId, ex.Message);
        Assert.Equal([path], ex.Searched);
    }

    [Fact]
    public void LooksBesideTheAppThenInTheNuGetCache()
    {
        var c = ResNet18Onnx.Candidates();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx"), c[0]);
        Assert.EndsWith(Path.Combine("microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx"), c[1]);
        // The library copies the file beside every app that references it.
        Assert.True(File.Exists(c[0]), $"{c[0]} was not copied to the output");
    }

    [Fact]
    public void AFileThatIsNotOnnxIsANamedError()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "this is not a protobuf message at all\n");
            Assert.Throws<OnnxFormatException>(() => OnnxInitializers.Read(path));
            File.WriteAllBytes(path, []);
            var ex = Assert.Throws<OnnxFormatException>(() => OnnxInitializers.Read(path));
            Assert.Contains("not an ONNX model", ex.Message);
        }
        finally { File.Delete(path); }
        Assert.Throws<OnnxFormatException>(() => OnnxInitializers.Read(path));
    }
}
