using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using NotebookStyle.Notebooks;
using NotebookStyle.Provisioning;
using NotebookStyle.Storage;
using NotebookStyle.Tests.Storage;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests.Provisioning;

/// <summary>The workshop folder: weights and paintings from a loopback server, verified, idempotent; the NuGet part with a tiny root.</summary>
public sealed class WorkshopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ns-workshop-").FullName;
    private readonly byte[] _weights = DownloadTests.Bytes(200_000, 3);
    private readonly byte[] _art = DownloadTests.Png(30, 20), _other = DownloadTests.Png(20, 30);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LoopbackServer Server(Func<bool>? online = null) => new((path, _) => online?.Invoke() == false ? LoopbackReply.Error(503) : path switch
    {
        "/w.h5" => LoopbackReply.Ok(_weights),
        "/art.png" => LoopbackReply.Ok(_art),
        "/other.png" => LoopbackReply.Ok(_other),
        _ => null,
    });

    private string Catalog(LoopbackServer server)
    {
        string path = Path.Combine(_dir, "catalog.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            images = new object[]
            {
                new { id = "art", file = "art.png", title = "Art", author = "A", kind = "style", licence = "PD", source = "s", url = server.Url("art.png").ToString() },
                // A catalogue hash, checked on download.
                new { id = "other", file = "other.png", title = "Other", author = "B", kind = "style", licence = "PD", source = "s", url = server.Url("other.png").ToString(),
                      sha256 = Convert.ToHexStringLower(SHA256.HashData(_other)) },
            },
        }));
        return path;
    }

    private WeightSource Source(LoopbackServer server) =>
        WeightSourcesFile.Parse(DownloadTests.SourcesJson(("test-weights", "test.h5", [server.Url("w.h5")], Convert.ToHexStringLower(MD5.HashData(_weights)))), "test").Single();

    [Fact]
    public void GathersAndVerifiesThenARerunVerifiesInsteadOfDownloading()
    {
        using var server = Server();
        string folder = Path.Combine(_dir, "class");
        var settings = new WorkshopSettings { Folder = folder, Sources = [Source(server)], IncludePackages = false, CatalogPath = Catalog(server) };
        var log = new List<string>();
        var report = Workshop.Prepare(settings, log.Add);

        Assert.Equal([WorkshopStatus.Downloaded, WorkshopStatus.Downloaded, WorkshopStatus.Downloaded], report.Items.Select(i => i.Status));
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(folder, "cache", "test.h5")));
        Assert.Equal(_art, File.ReadAllBytes(Path.Combine(folder, "cache", "images", "art.png")));
        Assert.Equal(_other, File.ReadAllBytes(Path.Combine(folder, "cache", "images", "other.png")));
        Assert.Contains($"export NOTEBOOKSTYLE_CACHE={Path.Combine(folder, "cache")}", report.Instructions);
        Assert.Contains($"export NOTEBOOKSTYLE_WEIGHTS={Path.Combine(folder, "cache", "test.h5")}", report.Instructions);
        Assert.DoesNotContain("NUGET_PACKAGES", report.Instructions);
        Assert.Contains("export NOTEBOOKSTYLE_CACHE=", File.ReadAllText(Path.Combine(folder, Workshop.EnvironmentFile)));
        Assert.Equal(3, JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, Workshop.ManifestFile))).RootElement.GetProperty("items").GetArrayLength());
        // The notebooks' own lookups find what the folder holds.
        Assert.Equal(Path.Combine(folder, "cache"), NotebookEnvironment.CacheFolder(new Dictionary<string, string?> { [NotebookEnvironment.Cache] = Path.Combine(folder, "cache") }));
        var notebookCatalog = ImageCatalog.Load(settings.CatalogPath!, new Dictionary<string, string?> { [NotebookEnvironment.Cache] = Path.Combine(folder, "cache") });
        Assert.Equal("cache", notebookCatalog.Overview().Single(s => s.Id == "art").Available);

        int requests = server.Requests.Count;
        var again = Workshop.Prepare(settings, log.Add);
        Assert.All(again.Items, i => Assert.Equal(WorkshopStatus.Verified, i.Status));
        Assert.Equal(requests, server.Requests.Count); // nothing downloaded again
    }

    [Fact]
    public void ACorruptedFileInTheFolderIsDetected()
    {
        bool online = true;
        using var server = Server(() => online);
        string folder = Path.Combine(_dir, "class");
        var settings = new WorkshopSettings { Folder = folder, Sources = [Source(server)], IncludePackages = false, CatalogPath = Catalog(server) };
        Workshop.Prepare(settings);

        string weights = Path.Combine(folder, "cache", "test.h5"), art = Path.Combine(folder, "cache", "images", "art.png");
        var bytes = File.ReadAllBytes(weights);
        bytes[100] ^= 0xff; // same size, one byte off
        File.WriteAllBytes(weights, bytes);
        File.AppendAllText(art, "junk");

        var log = new List<string>();
        var report = Workshop.Prepare(settings, log.Add);
        Assert.Equal(WorkshopStatus.Replaced, report.Items.Single(i => i.Name == "test-weights").Status);
        Assert.Equal(WorkshopStatus.Replaced, report.Items.Single(i => i.Name == "art").Status);
        Assert.Equal(WorkshopStatus.Verified, report.Items.Single(i => i.Name == "other").Status);
        Assert.Contains(log, l => l.Contains("Removed") && l.Contains(weights));
        Assert.Equal(_weights, File.ReadAllBytes(weights));
        Assert.Equal(_art, File.ReadAllBytes(art));

        // Offline, damage is still found, and named, and the rest is kept.
        online = false;
        File.WriteAllText(weights, "not the weights");
        var e = Assert.Throws<WorkshopIncompleteException>(() => Workshop.Prepare(settings));
        Assert.Contains("test-weights", e.Message);
        Assert.Contains("503", e.Message);
        Assert.DoesNotContain("art:", e.Message);
        Assert.False(File.Exists(weights));
        Assert.Equal(_art, File.ReadAllBytes(art));
    }

    [Fact]
    public void TheCommandPrintsHowToPointTheNotebooksAtTheFolder()
    {
        using var server = Server();
        string sources = Path.Combine(_dir, "sources.json"), folder = Path.Combine(_dir, "usb stick");
        File.WriteAllText(sources, DownloadTests.SourcesJson(("test-weights", "test.h5", [server.Url("w.h5")], Convert.ToHexStringLower(MD5.HashData(_weights)))));
        var environment = new Dictionary<string, string> { [WeightSourcesFile.EnvironmentVariable] = sources };
        var (code, stdout, err) = CliProcess.Run(environment, 90, "workshop", folder, "--source", "test-weights", "--no-packages", "--catalog", Catalog(server));
        Assert.True(code == 0, err);
        Assert.Contains($"export NOTEBOOKSTYLE_CACHE='{Path.Combine(folder, "cache")}'", stdout);
        Assert.Contains("1 weights, 2 paintings, 0 packages", stdout);
        Assert.True(File.Exists(Path.Combine(folder, "cache", "test.h5")));

        var (bad, _, badErr) = CliProcess.Run(environment, 60, "workshop", folder, "--source", "no-such-weights", "--no-packages");
        Assert.Equal(2, bad);
        Assert.Single(badErr.Trim().Split('\n'));
        Assert.Contains("test-weights", badErr); // the known names, custom ones included
    }

    [Fact]
    public void PackagesAreGatheredAsAGlobalPackagesFolderThatRestoresOffline()
    {
        string folder = Path.Combine(_dir, "class"), nuget = Path.Combine(folder, "nuget");
        string version = TorchPackages.PinnedVersions["SixLabors.ImageSharp"];
        var packages = WorkshopPackages.Gather([("SixLabors.ImageSharp", version)], nuget, null, TimeSpan.FromMinutes(5));
        var package = Assert.Single(packages, p => p.Id.Equals("SixLabors.ImageSharp", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Path.Combine(nuget, "sixlabors.imagesharp", version), package.Path);
        Assert.True(package.Copied);
        Assert.True(WorkshopPackages.IsVerified(package.Path));
        Assert.False(WorkshopPackages.Gather([("SixLabors.ImageSharp", version)], nuget, null, TimeSpan.FromMinutes(5)).Single(p => p.Id == package.Id).Copied);

        // The folder alone serves the restore: no package source at all but an empty folder.
        string probe = Path.Combine(_dir, "offline-probe"), empty = Path.Combine(_dir, "empty-feed");
        Directory.CreateDirectory(probe);
        Directory.CreateDirectory(empty);
        foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(probe, name), "<Project />");
        File.WriteAllText(Path.Combine(probe, "p.csproj"),
            $"""<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="SixLabors.ImageSharp" Version="[{version}]" /></ItemGroup></Project>""");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet",
            ["restore", Path.Combine(probe, "p.csproj"), "--source", empty, "--nologo", "-v", "q"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment[Workshop.NuGetPackagesVariable] = nuget;
        using var restore = Process.Start(start)!;
        string output = restore.StandardOutput.ReadToEnd() + restore.StandardError.ReadToEnd();
        Assert.True(restore.WaitForExit(TimeSpan.FromMinutes(3)), "restore hung");
        Assert.True(restore.ExitCode == 0, output);

        // A damaged package is not taken as verified.
        File.AppendAllText(Directory.GetFiles(package.Path, "*.nupkg").Single(), "x");
        Assert.False(WorkshopPackages.IsVerified(package.Path));
    }

    [Fact]
    public void TheKernelRootsAreTorchSharpPlotlyAndTheLibraryFromTheFeed()
    {
        string feed = Path.Combine(_dir, "feed");
        Directory.CreateDirectory(feed);
        Assert.DoesNotContain(Workshop.KernelRoots(NotebookBackend.Cpu, feed), r => r.Id == "NotebookStyle");
        File.WriteAllText(Path.Combine(feed, "NotebookStyle.1.2.0.nupkg"), "");
        File.WriteAllText(Path.Combine(feed, "NotebookStyle.1.10.0.nupkg"), "");
        File.WriteAllText(Path.Combine(feed, "NotebookStyle.1.10.0.symbols.nupkg"), "");
        var roots = Workshop.KernelRoots(NotebookBackend.Cpu, feed);
        Assert.Contains(("NotebookStyle", "1.10.0"), roots);
        Assert.Contains(roots, r => r.Id.StartsWith("TorchSharp", StringComparison.Ordinal));
        // ImageSharp, PureHDF, PyBridge, Protobuf: dependencies of the NotebookStyle package, restored with it.
        Assert.DoesNotContain(roots, r => r.Id == "SixLabors.ImageSharp");
        Assert.Contains(roots, r => r.Id == "Plotly.NET");
    }
}
