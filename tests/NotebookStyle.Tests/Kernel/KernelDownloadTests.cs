using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookStyle.NotebookRunner;
using NotebookStyle.Tests.Storage;
using NotebookStyle.Tests.Weights;

namespace NotebookStyle.Tests.Kernel;

/// <summary>
/// Downloads as a lesson shows them, in a real kernel: VGG19 weights from a loopback HTTP server through a test source
/// (NOTEBOOKSTYLE_SOURCES) carrying the fixture file's hash, with a progress line updated in place; and a workshop
/// folder that the lessons then use offline.
/// </summary>
public sealed class KernelDownloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notebookstyle-kernel-download-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string> Environment(params (string Name, Uri Url, string Md5)[] sources)
    {
        var list = new JsonArray();
        foreach (var (name, url, md5) in sources)
            list.Add(new JsonObject { ["name"] = name, ["file"] = name + ".h5", ["urls"] = new JsonArray(url.ToString()), ["md5"] = md5 });
        string file = Path.Combine(_dir, "sources.json");
        File.WriteAllText(file, new JsonObject { ["sources"] = list }.ToJsonString());
        return new()
        {
            ["NOTEBOOKSTYLE_SOURCES"] = file,
            ["NOTEBOOKSTYLE_CACHE"] = Path.Combine(_dir, "cache"),
        };
    }

    private static (byte[] Bytes, string Md5) Fixture()
    {
        byte[] bytes = File.ReadAllBytes(ReferenceFixtures.PathOf("keras.h5"));
        return (bytes, Convert.ToHexStringLower(MD5.HashData(bytes)));
    }

    private static readonly Regex Finished = new("Downloaded (\\S+) █{30} ([0-9.]+) / ([0-9.]+) MB \\(100%\\)");

    [ReferenceFact]
    public void Lesson01AgainstALoopbackServerShowsTheDownloadProgress()
    {
        var (bytes, md5) = Fixture();
        using var server = new LoopbackServer((path, _) => path == "/vgg19.h5" ? LoopbackReply.Ok(bytes) with { ChunkDelay = TimeSpan.FromMilliseconds(2) } : null);
        var env = Environment(("vgg19-loopback", server.Url("vgg19.h5"), md5));
        env["NOTEBOOKSTYLE_WEIGHTS"] = "vgg19-loopback";
        env[NotebookStyle.Notebooks.NotebookEnvironment.WeightsUntrained] = "1"; // the fixture holds random numbers
        var lesson = NotebookDocument.Load(Path.Combine(TestPaths.RepoRoot, "notebooks", "01-vgg19.ipynb"));
        var cells = lesson.Cells.Where(c => c.Kind == "code").Select(c => c.Source).ToList();
        int networkCell = cells.FindIndex(c => c.Contains("Session.LoadNetwork(", StringComparison.Ordinal));
        Assert.True(networkCell > 0, "lesson 01 loads its network with Session.LoadNetwork");

        var run = KernelHarness.Run(cells, env, timeout: TimeSpan.FromMinutes(4));
        Assert.True(run.ExitCode == 0 && !run.Errors.Any(), run.ToString());
        string shown = run.TextOf(networkCell);
        var done = Finished.Match(shown);
        Assert.True(done.Success, shown);
        Assert.Equal("vgg19-loopback", done.Groups[1].Value);
        Assert.Equal(done.Groups[2].Value, done.Groups[3].Value);
        Assert.Contains("vgg19", shown);
        Assert.Equal(1, server.CountOf("vgg19.h5"));
        Assert.True(File.Exists(Path.Combine(_dir, "cache", "vgg19-loopback.h5")));
    }

    [ReferenceFact]
    public void AnInterruptedDownloadResumesWhenTheCellRunsAgainAndAMismatchIsOneLine()
    {
        var (bytes, md5) = Fixture();
        using var server = new LoopbackServer((path, i) => path switch
        {
            "/w.h5" when i == 0 => LoopbackReply.Ok(bytes) with { BreakAfter = 30 << 20 },
            "/w.h5" or "/bad.h5" => LoopbackReply.Ok(bytes),
            _ => null,
        });
        var env = Environment(("vgg19-flaky", server.Url("w.h5"), md5), ("vgg19-bad", server.Url("bad.h5"), new string('0', 32)));
        env["NOTEBOOKSTYLE_WEIGHTS"] = "vgg19-flaky";
        string[] cells =
        [
            "#!import NotebookStyle.dib",
            "using NotebookStyle.Notebooks;\nusing NotebookStyle.Models;\nusing NotebookStyle.Weights;\nawait Session.StartAsync();",
            "Session.LoadNetwork().Network.NetworkName",
            "Session.LoadNetwork().Network.NetworkName",
            "Networks.Load(NetworkChoice.Vgg19, Session.Device,\n    new NetworkOptions { Source = WeightSource.FindKnown(\"vgg19-bad\")!, DownloadProgress = new DownloadDisplay() })",
        ];
        var run = KernelHarness.Run(cells, env, timeout: TimeSpan.FromMinutes(4));

        var interrupted = Assert.Single(run.Errors, e => e.Cell == 2);
        Assert.Contains("resume", interrupted.Text);
        Assert.True(!interrupted.Text.Contains("\n   at ", StringComparison.Ordinal), interrupted.Text);

        Assert.DoesNotContain(run.Errors, e => e.Cell == 3);
        string resumed = run.TextOf(3);
        Assert.Matches("Downloading vgg19-flaky \\S+ (2[0-9]|3[0-9])\\.[0-9] / ", resumed); // the line starts where the transfer broke off
        Assert.Matches(Finished, resumed);
        Assert.Contains("vgg19", resumed);
        Assert.Contains(server.Requests, r => r.Path == "/w.h5" && r.RangeFrom > 0);

        var mismatch = Assert.Single(run.Errors, e => e.Cell == 4);
        Assert.Contains("MD5", mismatch.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\n   at ", mismatch.Text);
        Assert.False(File.Exists(Path.Combine(_dir, "cache", "vgg19-bad.h5")));
    }

    /// <summary>
    /// A workshop as a teacher runs it: `nstyle workshop DIR` gathers the VGG19 weights from a (loopback) server, then —
    /// the server gone, as on a class's offline machines — the lessons run on VGG19 from DIR with the variables the
    /// command wrote to DIR/workshop.env and nothing else.
    /// </summary>
    [ReferenceFact]
    public void TheLessonsRunOfflineOnVgg19FromAWorkshopFolder()
    {
        byte[] weights = File.ReadAllBytes(ReferenceFixtures.PathOf("keras.h5"));
        string sources = Path.Combine(_dir, "sources.json"), folder = Path.Combine(_dir, "class folder"), catalog = Path.Combine(_dir, "catalog.json");
        File.WriteAllText(catalog, """{ "images": [] }""");
        using (var server = new LoopbackServer((path, _) => path == "/vgg19.h5" ? LoopbackReply.Ok(weights) : null))
        {
            File.WriteAllText(sources, new JsonObject
            {
                ["sources"] = new JsonArray(new JsonObject
                {
                    ["name"] = "vgg19-class", ["file"] = "vgg19-class.h5", ["urls"] = new JsonArray(server.Url("vgg19.h5").ToString()),
                    ["md5"] = Convert.ToHexStringLower(MD5.HashData(weights)),
                }),
            }.ToJsonString());
            var (code, _, err) = CliProcess.Run(new Dictionary<string, string> { ["NOTEBOOKSTYLE_SOURCES"] = sources }, 120,
                "workshop", folder, "--source", "vgg19-class", "--no-packages", "--catalog", catalog);
            Assert.True(code == 0, err);
        } // the server is gone from here on

        // Only what workshop.env says (no NOTEBOOKSTYLE_SOURCES: the class machines never saw the source file).
        var environment = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(File.ReadAllText(Path.Combine(folder, "workshop.env")), "^export (\\w+)='([^']*)'$", RegexOptions.Multiline))
            environment[m.Groups[1].Value] = m.Groups[2].Value;
        Assert.Equal(Path.Combine(folder, "cache", "vgg19-class.h5"), environment["NOTEBOOKSTYLE_WEIGHTS"]);
        Assert.Equal(Path.Combine(folder, "cache"), environment["NOTEBOOKSTYLE_CACHE"]);

        var lesson = NotebookDocument.Load(Path.Combine(TestPaths.RepoRoot, "notebooks", "01-vgg19.ipynb"));
        var cells = lesson.Cells.Where(c => c.Kind == "code").Select(c => c.Source).ToList();
        int networkCell = cells.FindIndex(c => c.Contains("Session.LoadNetwork(", StringComparison.Ordinal));
        Assert.True(networkCell > 0, "lesson 01 loads its network with Session.LoadNetwork");
        // The fixture holds random numbers: said so, lesson 01's demonstration checks what untrained filters show.
        environment[NotebookStyle.Notebooks.NotebookEnvironment.WeightsUntrained] = "1";
        var run = KernelHarness.Run(cells, environment, timeout: TimeSpan.FromMinutes(4));
        Assert.True(run.ExitCode == 0 && !run.Errors.Any(), run.ToString());
        Assert.Contains($"vgg19, weights: {Path.Combine(folder, "cache", "vgg19-class.h5")}", run.TextOf(networkCell));
        Assert.DoesNotContain("ResNet18", run.TextOf(networkCell));
    }
}
