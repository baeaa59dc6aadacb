using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NotebookStyle.Tests.Weights;

namespace NotebookStyle.Tests.Kernel;

/// <summary>
/// The library as the lessons get it: packed into out/feed by the Release build, brought into a real notebook kernel
/// by notebooks/NotebookStyle.dib, with every dependency — each weights format loads inside the kernel.
/// </summary>
public class KernelLibraryTests
{
    private const string Import = "#!import NotebookStyle.dib";
    private const string Start = "using NotebookStyle.Notebooks;\nawait Session.StartAsync();";

    private static string Version =>
        XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Build.props")).Descendants("Version").Single().Value;

    /// <summary>The version the Release build packed, as it wrote it beside the package (VERSION-local.HASH).</summary>
    private static string PackedVersion => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "out", "feed", "NotebookStyle.version")).Trim();

    [Fact]
    public void TheLessonsImportTheVersionTheBuildPacksAndDeleteNothing()
    {
        string dib = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "notebooks", "NotebookStyle.dib"));
        Assert.Contains("\"NotebookStyle.version\"", dib);
        Assert.DoesNotContain("Delete(", dib);
        // Each build its own version: the library's version and a hash of its sources.
        Assert.Matches($"^{Regex.Escape(Version)}-local\\.[0-9a-f]{{12}}$", PackedVersion);
        Assert.Equal([$"NotebookStyle.{PackedVersion}.nupkg"], Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "out", "feed"), "NotebookStyle.*.nupkg").Select(Path.GetFileName));
    }

    [Fact]
    public void TheReleaseBuildPacksTheLibraryWithItsDependencies()
    {
        string package = Path.Combine(TestPaths.RepoRoot, "out", "feed", $"NotebookStyle.{PackedVersion}.nupkg");
        Assert.True(File.Exists(package), $"{package} is missing: the Release build packs it (GeneratePackageOnBuild).");
        using var zip = ZipFile.OpenRead(package);
        Assert.NotNull(zip.GetEntry("lib/net10.0/NotebookStyle.dll"));
        using var nuspec = zip.GetEntry("NotebookStyle.nuspec")!.Open();
        var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        var pinned = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        // What failed in the kernel when only NotebookStyle.dll was referenced: PureHDF (.h5) and PyBridge (.pth).
        foreach (var id in new[] { "TorchSharp", "SixLabors.ImageSharp", "PureHDF", "TorchSharp.PyBridge", "Google.Protobuf" })
            Assert.Equal(pinned[id], dependencies[id]);
        // Compile-only references never reach a consumer.
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal) || id == "Grpc.Tools");
    }

    [ReferenceFact]
    public void EveryWeightsFormatLoadsInsideAKernel()
    {
        var files = new (string File, string Preprocessing)[]
        {
            ("keras.h5", "null"), ("torchvision.pth", "Preprocessing.Torchvision"), ("torchvision_legacy.pth", "Preprocessing.Torchvision"),
            ("torchvision_tar.pth", "Preprocessing.Torchvision"), ("features.pth", "Preprocessing.Torchvision"),
            ("vgg19.safetensors", "Preprocessing.Torchvision"),
        };
        var cells = new List<string> { Import, Start, "using NotebookStyle.Imaging;\nusing NotebookStyle.Models;\nusing NotebookStyle.Weights;\nusing TorchSharp;" };
        foreach (var (file, pre) in files)
            cells.Add($$"""
                {
                    var loaded = Networks.Load(NetworkChoice.Vgg19, Session.Device,
                        new NetworkOptions { WeightsPath = "{{ReferenceFixtures.PathOf(file)}}", WeightsPreprocessing = {{pre}} });
                    var first = loaded.Network.parameters().First();
                    Console.WriteLine($"{{file}}: {loaded.Network.NetworkName}, {first.abs().sum().item<float>():R}");
                }
                """);
        var run = KernelHarness.Run(cells);
        Assert.True(run.ExitCode == 0 && !run.Errors.Any(), run.ToString());
        var sums = files.Select((f, i) =>
        {
            var m = Regex.Match(run.TextOf(3 + i), Regex.Escape(f.File) + ": vgg19, (\\S+)", RegexOptions.IgnoreCase);
            Assert.True(m.Success, $"{f.File}: {run}");
            return m.Groups[1].Value;
        }).ToList();
        // The same weights in six formats: the first convolution is identical in each.
        Assert.Single(sums.Distinct());
    }

    [Fact]
    public void AMissingOrStaleBuildStopsTheFirstCellWithOneLine()
    {
        // A repository-shaped folder: the .dib, a tool manifest, sources, and no packed library yet.
        string root = Directory.CreateTempSubdirectory("notebookstyle-nobuild-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "notebooks"));
            Directory.CreateDirectory(Path.Combine(root, "lib", "NotebookStyle"));
            File.Copy(Path.Combine(TestPaths.RepoRoot, "notebooks", "NotebookStyle.dib"), Path.Combine(root, "notebooks", "NotebookStyle.dib"));
            File.Copy(Path.Combine(TestPaths.RepoRoot, "dotnet-tools.json"), Path.Combine(root, "dotnet-tools.json"));
            File.WriteAllText(Path.Combine(root, "NotebookStyle.sln"), "");
            string source = Path.Combine(root, "lib", "NotebookStyle", "Code.cs");
            File.WriteAllText(source, "// a source file");

            var missing = KernelHarness.Run([Import, "1 + 1"], workingDirectory: Path.Combine(root, "notebooks"));
            var error = Assert.Single(missing.Errors, e => e.Cell == 0);
            Assert.Contains("dotnet build -c Release", error.Text);
            Assert.DoesNotContain("\n   at ", error.Text);

            string feed = Directory.CreateDirectory(Path.Combine(root, "out", "feed")).FullName;
            string package = Path.Combine(feed, $"NotebookStyle.{Version}-local.000000000000.nupkg");
            File.WriteAllText(Path.Combine(feed, "NotebookStyle.version"), $"{Version}-local.000000000000\n");
            File.WriteAllText(package, "");
            File.SetLastWriteTimeUtc(package, DateTime.UtcNow.AddHours(-1));
            var stale = KernelHarness.Run([Import, "1 + 1"], workingDirectory: Path.Combine(root, "notebooks"));
            error = Assert.Single(stale.Errors, e => e.Cell == 0);
            Assert.Contains("changed since it was last built", error.Text);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [ReferenceFact]
    public void BadInputInACellIsOneReadableLine()
    {
        string junk = Path.Combine(Path.GetTempPath(), $"notebookstyle-junk-{Guid.NewGuid():N}.h5");
        File.WriteAllText(junk, "not an HDF5 file");
        try
        {
            var run = KernelHarness.Run([
                Import, Start, "using NotebookStyle.Weights;",
                "Images.Load(\"no_such_painting\", 64)",
                "Images.Load(\"/no/such/photo.jpg\", 64)",
                $"Networks.Load(NetworkChoice.Vgg19, Session.Device, new NetworkOptions {{ WeightsPath = \"{junk}\" }})",
                $"Networks.Load(NetworkChoice.Vgg19, Session.Device, new NetworkOptions {{ WeightsPath = \"{ReferenceFixtures.PathOf("keras_wrong_shape.h5")}\" }})",
            ]);
            foreach (var (cell, expected) in new[] { (3, "ImageCatalogException"), (4, "ImageCatalogException"), (5, "Exception"), (6, "block3_conv1") })
            {
                var error = Assert.Single(run.Errors, e => e.Cell == cell);
                Assert.Contains(expected, error.Text);
                Assert.True(!error.Text.Contains("\n   at ", StringComparison.Ordinal) && error.Text.Trim().Split('\n').Length <= 2, error.Text);
            }
        }
        finally
        {
            File.Delete(junk);
        }
    }
}
