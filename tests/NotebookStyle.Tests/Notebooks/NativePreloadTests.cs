using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public class NativePreloadTests
{
    private static readonly Dictionary<string, string> Pinned = new() { ["TorchSharp"] = "0.107.0", ["libtorch-cpu-linux-x64"] = "2.10.0" };

    [Fact]
    public void PlansLibtorchThenTheBridgeWhenBothArePresent()
    {
        if (!OperatingSystem.IsLinux()) return;
        string root = Directory.CreateTempSubdirectory("nbstyle-preload").FullName;
        try
        {
            Assert.Empty(NativePreload.Plan(NotebookBackend.Cpu, root, Pinned));
            string natives = Path.Combine(root, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
            string bridge = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native");
            Directory.CreateDirectory(natives);
            Directory.CreateDirectory(bridge);
            File.WriteAllText(Path.Combine(natives, "libtorch.so"), "");
            Assert.Empty(NativePreload.Plan(NotebookBackend.Cpu, root, Pinned));
            File.WriteAllText(Path.Combine(bridge, "libLibTorchSharp.so"), "");
            var plan = NativePreload.Plan(NotebookBackend.Cpu, root, Pinned);
            Assert.Equal(["libtorch.so", "libLibTorchSharp.so"], plan.Select(Path.GetFileName));
            Assert.Empty(NativePreload.Plan(NotebookBackend.Cuda, root, Pinned));
        }
        finally { Directory.Delete(root, true); }
    }
}
