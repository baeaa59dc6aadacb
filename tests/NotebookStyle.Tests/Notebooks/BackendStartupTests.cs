using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public class BackendStartupTests
{
    /// <summary>Records every step in order; each step's result is set by the test.</summary>
    private sealed class Steps(string? cudaPackages = null, string? cudaInit = null, string? cpuPackages = null) : IBackendSteps
    {
        public List<string> Log { get; } = [];

        public Task<string?> SendAsync(string directives)
        {
            bool cuda = directives.Contains("TorchSharp-cuda-linux", StringComparison.Ordinal);
            Log.Add(cuda ? "send cuda" : "send cpu");
            return Task.FromResult(cuda ? cudaPackages : cpuPackages);
        }

        public NativePreload.Result Preload(NotebookBackend backend)
        {
            Log.Add($"preload {backend}");
            return new([], null);
        }

        public string? InitializeCuda()
        {
            Log.Add("init cuda");
            return cudaInit;
        }
    }

    [Fact]
    public async Task CudaIsInitialisedRightAfterItsPackagesAndBeforeAnythingOfTheCpu()
    {
        var steps = new Steps();
        var outcome = await BackendStartup.RunAsync(NotebookBackend.Cuda, steps);
        Assert.Equal(["send cuda", "preload Cuda", "init cuda"], steps.Log);
        Assert.True(outcome.UseCuda);
        Assert.Equal(NotebookBackend.Cuda, outcome.Natives);
        Assert.Empty(outcome.Notices);
    }

    [Fact]
    public async Task CudaThatDoesNotInitialiseRunsOnTheCpuWithANotice()
    {
        var steps = new Steps(cudaInit: "no GPU seen");
        var outcome = await BackendStartup.RunAsync(NotebookBackend.Cuda, steps);
        Assert.False(outcome.UseCuda);
        Assert.Equal(NotebookBackend.Cuda, outcome.Natives); // the CUDA build's libtorch runs CPU tensors too
        Assert.DoesNotContain("send cpu", steps.Log);
        Assert.Contains("no GPU seen", Assert.Single(outcome.Notices));
        Assert.Contains("CPU", outcome.Notices[0]);
    }

    [Fact]
    public async Task CudaPackagesThatDoNotLoadFallBackToTheCpuBuild()
    {
        var steps = new Steps(cudaPackages: "NU1101: Unable to find package TorchSharp-cuda-linux");
        var outcome = await BackendStartup.RunAsync(NotebookBackend.Cuda, steps);
        Assert.Equal(["send cuda", "send cpu", "preload Cpu"], steps.Log);
        Assert.False(outcome.UseCuda);
        Assert.Equal(NotebookBackend.Cpu, outcome.Natives);
        Assert.Contains("NU1101", Assert.Single(outcome.Notices));
    }

    [Fact]
    public async Task TheCpuChoiceNeverTouchesCuda()
    {
        var steps = new Steps();
        var outcome = await BackendStartup.RunAsync(NotebookBackend.Cpu, steps);
        Assert.Equal(["send cpu", "preload Cpu"], steps.Log);
        Assert.False(outcome.UseCuda);
        Assert.Empty(outcome.Notices);
    }

    [Fact]
    public async Task CpuPackagesThatDoNotLoadAreAnError()
    {
        var steps = new Steps(cpuPackages: "offline");
        var ex = await Assert.ThrowsAsync<NotebookSetupException>(() => BackendStartup.RunAsync(NotebookBackend.Cpu, steps));
        Assert.Contains("offline", ex.Message);
    }

    [Fact]
    public void CudaInitialisationOnACpuOnlyBuildSaysWhyAndDoesNotThrow()
    {
        // This machine's tests carry the CPU natives only: CUDA cannot come up, and the answer is a reason, not an exception.
        Torch.Ready();
        string? why = Backend.TorchBackend.InitializeCuda();
        if (TorchSharp.torch.cuda.is_available()) Assert.Null(why);
        else Assert.False(string.IsNullOrWhiteSpace(why));
        // The CPU backend still works afterwards.
        using var x = TorchSharp.torch.ones(2);
        Assert.Equal(2f, x.sum().item<float>());
    }
}
