using NotebookStyle.Backend;
using static TorchSharp.torch;

namespace NotebookStyle.Tests;

public class BackendTests
{
    [Fact]
    public void TorchLoadsAndComputes()
    {
        Torch.Ready();
        using var a = ones(2, 2);
        Assert.Equal(4f, a.sum().item<float>());
    }

    [Fact]
    public void AskingForCudaWithoutGpuFailsByName()
    {
        Torch.Ready();
        if (TorchBackend.CudaAvailable()) return; // a GPU machine: nothing to refuse
        var ex = Assert.Throws<CudaUnavailableException>(() => TorchBackend.ResolveDevice(DeviceChoice.Cuda));
        Assert.Contains("CUDA was requested but is not available", ex.Message);
        Assert.Contains("TorchBackend=cuda", ex.Message);
        Assert.Equal(TorchSharp.DeviceType.CPU, TorchBackend.ResolveDevice(DeviceChoice.Auto).type);
    }

    [Theory]
    [InlineData("auto", DeviceChoice.Auto)]
    [InlineData("CPU", DeviceChoice.Cpu)]
    [InlineData("cuda", DeviceChoice.Cuda)]
    public void ParsesDevices(string text, DeviceChoice expected) => Assert.Equal(expected, TorchBackend.ParseDevice(text));

    [Fact]
    public void UnknownDeviceIsANamedError() =>
        Assert.Throws<NotebookStyleException>(() => TorchBackend.ParseDevice("tpu"));
}
