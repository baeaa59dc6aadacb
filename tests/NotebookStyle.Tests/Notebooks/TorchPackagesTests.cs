using System.Xml.Linq;
using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public class TorchPackagesTests
{
    private static Dictionary<string, string?> Env(string? backend) => new() { [NotebookEnvironment.Backend] = backend };

    [Fact]
    public void EnvironmentOverridesTheGpuProbe()
    {
        Assert.Equal(NotebookBackend.Cpu, TorchPackages.Choose(Env("cpu"), () => true));
        Assert.Equal(NotebookBackend.Cuda, TorchPackages.Choose(Env("CUDA"), () => false));
        Assert.Equal(NotebookBackend.Cpu, TorchPackages.Choose(Env(null), () => false));
        Assert.Equal(OperatingSystem.IsLinux() ? NotebookBackend.Cuda : NotebookBackend.Cpu, TorchPackages.Choose(Env(""), () => true));
        var ex = Assert.Throws<NotebookSetupException>(() => TorchPackages.Choose(Env("tpu")));
        Assert.Contains("NOTEBOOKSTYLE_BACKEND", ex.Message);
    }

    [Fact]
    public void PinnedVersionsAreThoseOfDirectoryPackagesProps()
    {
        var props = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Packages.props"));
        var pinned = props.Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        foreach (var backend in new[] { NotebookBackend.Cpu, NotebookBackend.Cuda })
        foreach (var (id, version) in TorchPackages.References(backend))
            Assert.Equal(pinned[id], version);
        Assert.Equal("0.107.0", TorchPackages.PinnedVersions["TorchSharp"]);
    }

    [Fact]
    public void CpuAndCudaReferences()
    {
        var cpu = TorchPackages.References(NotebookBackend.Cpu).Select(r => r.Id).ToList();
        var cuda = TorchPackages.References(NotebookBackend.Cuda).Select(r => r.Id).ToList();
        if (OperatingSystem.IsLinux()) Assert.Equal(["TorchSharp", "libtorch-cpu-linux-x64"], cpu.Take(2));
        Assert.Equal("TorchSharp-cuda-linux", cuda[0]);
        Assert.Contains("SixLabors.ImageSharp", cpu);
        Assert.Contains("Plotly.NET.CSharp", cuda);
        // The static pictures of the charts and the labels on sheets are drawn by ScottPlot (and SkiaSharp under it).
        Assert.Contains("ScottPlot", cpu);
    }

    [Fact]
    public void DirectivesAreBareNugetReferencesWithoutComments()
    {
        string d = TorchPackages.Directives(NotebookBackend.Cpu);
        foreach (var line in d.Split('\n'))
            Assert.Matches("^#r \"nuget: [A-Za-z0-9.\\-]+, [0-9][0-9A-Za-z.\\-]*\"$", line);
        Assert.DoesNotContain("//", d);
    }

    [Fact]
    public void ParsePinnedIgnoresJunk()
    {
        var p = TorchPackages.ParsePinned("a=1; b = 2;;junk;=3");
        Assert.Equal("1", p["a"]);
        Assert.Equal("2", p["b"]);
        Assert.Equal(2, p.Count);
    }
}
