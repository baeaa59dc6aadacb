using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookStyle.NotebookRunner;
using NotebookStyle.Tests.Storage;
using NotebookStyle.Tests.Weights;

namespace NotebookStyle.Tests.Kernel;

/// <summary>
/// A workshop as a teacher runs it: `nstyle workshop DIR` gathers the VGG19 weights from a (loopback) server, then —
/// the server gone, as on a class's offline machines — the lessons run on VGG19 from DIR with the variables the command
/// wrote to DIR/workshop.env and nothing else.
/// </summary>
public sealed class KernelWorkshopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notebookstyle-kernel-workshop-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

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
        int networkCell = cells.FindIndex(c => c.Contains("Session.LoadNetwork()", StringComparison.Ordinal));
        var run = KernelHarness.Run(cells, environment, timeout: TimeSpan.FromMinutes(4));
        Assert.True(run.ExitCode == 0 && !run.Errors.Any(), run.ToString());
        Assert.Contains($"vgg19, weights: {Path.Combine(folder, "cache", "vgg19-class.h5")}", run.TextOf(networkCell));
        Assert.DoesNotContain("ResNet18", run.TextOf(networkCell));
    }
}
