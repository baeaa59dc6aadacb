using NotebookStyle.Models;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests;

/// <summary>Reads the packaged ResNet18.onnx once for every test that needs the real file (≈ 1 s).</summary>
public sealed class ResNet18OnnxFixture : IDisposable
{
    public ResNet18OnnxFixture()
    {
        Torch.Ready();
        Path = ResNet18Onnx.Locate();
        Graph = OnnxInitializers.Read(Path);
        Mapping = ResNetOnnxMapping.Find(Graph);
        Network = new ResNet(Mapping.Depths);
        ResNet18Onnx.LoadInto(Network, Graph, Mapping);
    }

    public string Path { get; }
    public OnnxGraph Graph { get; }
    public ResNetOnnxMapping Mapping { get; }
    public ResNet Network { get; }

    public void Dispose() => Network.Dispose();
}
