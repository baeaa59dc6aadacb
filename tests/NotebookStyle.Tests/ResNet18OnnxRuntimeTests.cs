using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = TorchSharp.torch.Tensor;
using NotebookStyle.Imaging;
using NotebookStyle.Weights.Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests;

/// <summary>
/// The mapping proved against ONNX Runtime running the same ResNet18.onnx on the same CNTK-preprocessed 224×224 input:
/// the pooled output (the model's own output) and, by declaring them as extra graph outputs, relu1 and layer1…layer4.
/// </summary>
public sealed class ResNet18OnnxRuntimeTests(ResNet18OnnxFixture fx, ITestOutputHelper log) : IClassFixture<ResNet18OnnxFixture>
{
    private static readonly string[] Taps = ["relu1", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"];

    [Fact]
    public void MatchesOnnxRuntimeOnRandomInput()
    {
        using var rgb = rand([1, 3, 224, 224], generator: new Generator(7));
        Compare(rgb, "random");
    }

    [Fact]
    public void MatchesOnnxRuntimeOnARealImage()
    {
        using var image = ImageLoader.Load(TestPaths.SharedImage("golden_gate.jpg"));
        using var small = ImageLoader.Resize(image, 224, 224);
        using var rgb = ImageTensor.FromImage(small);
        Compare(rgb, "golden_gate.jpg");
    }

    private void Compare(Tensor rgb, string what)
    {
        using var scope = NewDisposeScope();
        var input = fx.Network.Preprocessing.Apply(rgb).contiguous();
        var ours = fx.Network.Extract(input, Taps);
        var reference = RunOnnxRuntime(input);
        foreach (var tap in Taps)
        {
            var theirs = reference[tap];
            Assert.Equal(theirs.shape, ours[tap].shape);
            double diff = (ours[tap] - theirs).abs().max().item<float>();
            double scale = theirs.abs().max().item<float>();
            log.WriteLine($"{what}: {tap,-8} max |ours − ORT| = {diff:E2} (max |ORT| = {scale:F2})");
            // The pooled output is held to 1e-4 absolute; inner taps are larger numbers, so bound them relatively.
            Assert.True(tap == "avgpool" ? diff <= 1e-4 : diff <= 1e-5 * Math.Max(1, scale) + 1e-4, $"{tap}: {diff:E2}");
        }
    }

    /// <summary>Runs ONNX Runtime on the model with every tapped value added to the graph's outputs.</summary>
    private Dictionary<string, Tensor> RunOnnxRuntime(Tensor input)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fx.Path));
        var outputs = model.Graph.Output.Select(o => o.Name).ToHashSet();
        foreach (var tap in Taps)
        {
            string value = fx.Mapping.Values[tap];
            if (outputs.Add(value))
                model.Graph.Output.Add(new ValueInfoProto { Name = value, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        }
        using var options = new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var data = input.data<float>().ToArray();
        var dense = new DenseTensor(data, [.. input.shape.Select(d => (int)d)]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(fx.Mapping.Input, dense)], [.. Taps.Select(t => fx.Mapping.Values[t])]);
        var byValue = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
        return Taps.ToDictionary(t => t, t =>
        {
            var r = byValue[fx.Mapping.Values[t]];
            return tensor(r.ToArray(), [.. r.Dimensions.ToArray().Select(d => (long)d)]);
        });
    }
}
