namespace NotebookStyle.Tests.Layout;

/// <summary>
/// The library's folders depend on each other in one direction only, the one the data takes (README, "Layout"):
/// imaging and the backend first, then models, weights and losses, the driver, and the front-end helpers last.
/// </summary>
public class FolderDependencyTests
{
    /// <summary>Each folder and the folders it may use. A new folder must be added here.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Backend"] = [],
        ["Imaging"] = [],
        ["Storage"] = [], // verified downloads and the cache folder: used by Weights and Notebooks
        ["Models"] = ["Backend", "Imaging"],
        ["Weights"] = ["Models", "Imaging", "Backend", "Storage"],
        ["Losses"] = ["Models", "Imaging"],
        ["Optimization"] = ["Losses", "Models", "Weights", "Imaging", "Backend", "Storage"],
        ["Quality"] = ["Optimization", "Losses", "Models", "Weights", "Imaging", "Backend", "Storage"],
        ["Visualization"] = ["Optimization", "Losses", "Models", "Weights", "Imaging", "Backend", "Storage"],
        ["Notebooks"] = ["Visualization", "Quality", "Optimization", "Losses", "Models", "Weights", "Imaging", "Backend", "Storage"],
    };

    private static readonly FolderGraph Library = FolderGraph.Read(Path.Combine(TestPaths.RepoRoot, "lib", "NotebookStyle"));

    [Fact]
    public void EveryFolderIsInTheTableAndTheTableHasNoCycle()
    {
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), Library.Folders);
        var table = Allowed.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value.ToHashSet(), StringComparer.Ordinal);
        Assert.Null(FolderGraph.FindCycle(table));
    }

    [Fact]
    public void NoFolderUsesOneItMayNot()
    {
        var forbidden = Library.Edges.Where(e => !Allowed[e.From].Contains(e.To))
            .Select(e => $"{e.From} → {e.To} ({e.File}: {e.Line})").ToList();
        Assert.True(forbidden.Count == 0, "Uses against the folder direction:\n" + string.Join("\n", forbidden));
    }

    [Fact]
    public void TheFolderGraphHasNoCycle()
    {
        var cycle = FolderGraph.FindCycle(Library.Adjacency);
        Assert.True(cycle is null, $"Import cycle: {string.Join(" → ", cycle ?? [])}");
    }

    [Fact]
    public void EachFilesNamespaceIsItsFolder()
    {
        Assert.True(Library.NamespaceMismatches.Count == 0, "Namespace is not the folder:\n" + string.Join("\n", Library.NamespaceMismatches));
    }

    [Fact]
    public void TheReaderSeesUsingLinesAndQualifiedNames()
    {
        // Not vacuous: the driver's known uses are found, and a fully qualified name counts as much as a using line.
        Assert.Contains(Library.Edges, e => e is { From: "Optimization", To: "Losses" } && e.Line.StartsWith("using "));
        Assert.Contains(Library.Edges, e => e is { From: "Weights", To: "Models" });
        var dir = Directory.CreateTempSubdirectory("nstyle-graph-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "A"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "B"));
            File.WriteAllText(Path.Combine(dir.FullName, "A", "X.cs"), "namespace NotebookStyle.A;\nclass X { NotebookStyle.B.Y? y; }\n");
            File.WriteAllText(Path.Combine(dir.FullName, "B", "Y.cs"), "using static NotebookStyle.A.X;\nnamespace NotebookStyle.C;\nclass Y { }\n");
            var graph = FolderGraph.Read(dir.FullName);
            Assert.Equal(["A → B", "B → A"], graph.Edges.Select(e => $"{e.From} → {e.To}"));
            Assert.Equal(["A", "B", "A"], FolderGraph.FindCycle(graph.Adjacency));
            Assert.Equal([$"B{Path.DirectorySeparatorChar}Y.cs: NotebookStyle.C"], graph.NamespaceMismatches);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void WorkshopProvisioningLivesInTheCliNotInThePackageTheKernelLoads()
    {
        // It spawns `dotnet restore` and fills a workshop folder: a CLI job (nstyle workshop), so the NotebookStyle
        // package that every lesson loads into its kernel does not carry it.
        Assert.False(Directory.Exists(Path.Combine(TestPaths.RepoRoot, "lib", "NotebookStyle", "Provisioning")));
        Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "lib", "NotebookStyle.Cli", "Provisioning", "Workshop.cs")));
        Assert.Null(typeof(NotebookStyle.Notebooks.Session).Assembly.GetType("NotebookStyle.Provisioning.Workshop"));
    }
}
