using System.Runtime.InteropServices;
using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Gpu;

/// <summary>Device handling that can be checked without a GPU: cuDNN autotuning's flag, out-of-memory errors.</summary>
public class CudaHandlingTests
{
    // What libtorch 2.x's caching allocator says (shortened).
    private const string TorchOom = "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 15.77 GiB of which 1.06 GiB is free. " +
                                    "Including non-PyTorch memory, this process has 14.70 GiB memory in use.";

    [Fact]
    public void CudnnBenchmarkFlagCanBeSetAndReadBack()
    {
        Torch.Ready();
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return; // bound on Linux x64 only
        Assert.True(CudnnBenchmark.IsSupported, "libtorch's at::Context::setBenchmarkCuDNN was not found in the loaded libtorch_cpu.so");
        bool before = CudnnBenchmark.Enabled!.Value;
        try
        {
            Assert.True(CudnnBenchmark.TrySetEnabled(true));
            Assert.True(CudnnBenchmark.Enabled);
            Assert.True(CudnnBenchmark.TrySetEnabled(false));
            Assert.False(CudnnBenchmark.Enabled);
            // A CPU run leaves the flag alone; only CUDA runs turn it on.
            Assert.False(CudnnBenchmark.EnableFor(CPU));
            Assert.False(CudnnBenchmark.Enabled);
        }
        finally
        {
            CudnnBenchmark.TrySetEnabled(before);
        }
    }

    [Fact]
    public void TheBoundLibraryIsTheOneTorchSharpLoaded()
    {
        Torch.Ready();
        if (!OperatingSystem.IsLinux()) return;
        string? path = CudnnBenchmark.LoadedLibraryPath(CudnnBenchmark.LibraryFileName);
        Assert.NotNull(path);
        Assert.True(File.Exists(path), path);
        Assert.Null(CudnnBenchmark.LoadedLibraryPath("libnot-a-library-anyone-loads.so"));
    }

    [Theory]
    [InlineData(TorchOom, true)]
    [InlineData("CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported", true)]
    [InlineData("CUDNN_STATUS_ALLOC_FAILED", true)]
    [InlineData("CUDA error: an illegal memory access was encountered", false)]
    [InlineData("DefaultCPUAllocator: can't allocate memory: you tried to allocate 4000000000000 bytes.", false)]
    public void RecognisesCudaOutOfMemory(string message, bool expected)
    {
        Assert.Equal(expected, CudaOutOfMemory.IsOutOfMemory(new ExternalException(message)));
        Assert.Equal(expected, CudaOutOfMemory.IsOutOfMemory(new InvalidOperationException("wrapped", new ExternalException(message))));
    }

    [Fact]
    public void MessageSaysWhatToTry()
    {
        string m = CudaOutOfMemory.Message(3, 512, 768, hasImage: true, totalGpuBytes: 8L << 30);
        Assert.Contains("iteration 3", m);
        Assert.Contains("768×512", m);
        Assert.Contains("8.0 GiB", m);
        Assert.Contains("--size", m);
        Assert.Contains("(e.g. 512", m); // 768/√2 = 543 → 512
        Assert.Contains("multi-scale", m);
        Assert.Contains("--device cpu", m);
        Assert.Contains("best image so far is kept", m);
        Assert.DoesNotContain("kept", CudaOutOfMemory.Message(1, 64, 64, hasImage: false, totalGpuBytes: null));
    }

    [Theory]
    [InlineData(512, 352)]
    [InlineData(1024, 704)]
    [InlineData(2048, 1440)]
    [InlineData(80, 64)]
    public void SuggestsAboutHalfThePixels(int longSide, int expected) => Assert.Equal(expected, CudaOutOfMemory.SuggestedSize(longSide));

    [Fact]
    public void CreateCopiesTheImageToTheCpuClamped()
    {
        Torch.Ready();
        using var best = tensor(new float[] { -0.5f, 0.25f, 1.5f, 0.75f }).reshape(1, 1, 2, 2);
        var ex = CudaOutOfMemory.Create(new ExternalException(TorchOom), best, 7);
        using var image = ex.ImageSoFar!;
        Assert.Equal(DeviceType.CPU, image.device_type);
        Assert.Equal(new[] { 0f, 0.25f, 1f, 0.75f }, image.flatten().data<float>().ToArray());
        Assert.Equal(-0.5f, best.flatten()[0].item<float>()); // the original is untouched and still usable
        Assert.Equal(7, ex.Iteration);
        Assert.IsType<ExternalException>(ex.InnerException);
        Assert.IsAssignableFrom<NotebookStyleException>(ex);
    }

    [Fact]
    public void StyleTransferTurnsAnOutOfMemoryIntoTheNamedErrorWithTheImageSoFar()
    {
        Torch.Ready();
        using var net = new RunsOutOfMemory(failFromCall: 4); // 2 target passes, 1 good evaluation, then out of memory
        using var content = rand(new long[] { 1, 3, 16, 20 }, generator: new Generator(1));
        using var style = rand(new long[] { 1, 3, 16, 16 }, generator: new Generator(2));
        var settings = new StyleTransferSettings { Iterations = 5, Optimizer = OptimizerKind.Adam };

        var ex = Assert.Throws<CudaOutOfMemoryException>(() => StyleTransfer.Run(net, content, style, settings));
        using var image = ex.ImageSoFar;
        Assert.NotNull(image);
        Assert.Equal(new long[] { 1, 3, 16, 20 }, image.shape);
        Assert.Equal(DeviceType.CPU, image.device_type);
        Assert.Equal(2, ex.Iteration);
        Assert.Contains("--size", ex.Message);
        Assert.Contains("20×16 px", ex.Message);
        Assert.Contains(TorchOom, ex.InnerException!.Message);
        // The first (good) evaluation was at the content image: that is the best image so far.
        Assert.True(allclose(image, content.clamp(0, 1)));
    }

    /// <summary>A one-conv extractor whose last stage throws libtorch's CUDA out-of-memory error from a given call on.</summary>
    private sealed class RunsOutOfMemory : FeatureExtractor, IHasStyleTransferDefaults
    {
        private readonly nn.Module<Tensor, Tensor> conv;

        public RunsOutOfMemory(int failFromCall) : base("oom", Preprocessing.Torchvision)
        {
            manual_seed(0);
            conv = nn.Conv2d(3, 4, 3, padding: 1);
            RegisterComponents();
            AddStage("conv", conv);
            AddStage("trip", new Trip(failFromCall));
            Freeze();
        }

        public override string NetworkName => "oom";

        public StyleTransferDefaults Defaults { get; } =
            new([new("trip", 1, 1)], LossNormalization.TargetNorm, ContentWeight: 1, StyleWeight: 1, TvWeight: 0);

        public override IEnumerable<SummaryLayer> SummaryLayers() => [];
    }

    private sealed class Trip(int failFromCall) : nn.Module<Tensor, Tensor>("trip")
    {
        private int _calls;

        public override Tensor forward(Tensor x) =>
            ++_calls >= failFromCall ? throw new ExternalException(TorchOom) : x.relu();
    }
}
