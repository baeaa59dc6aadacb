using NotebookStyle.NotebookRunner;

namespace NotebookStyle.Tests.Notebooks;

/// <summary>The committed lessons are clean and free of the dotnet-repl traps (what notebooks/check.sh checks).</summary>
public class NotebookHygieneTests
{
    private static List<string> Files() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb").Select(f => Path.GetFileName(f)).OrderBy(f => f, StringComparer.Ordinal).ToList();

    public static TheoryData<string> Lessons()
    {
        var data = new TheoryData<string>();
        foreach (var f in Files()) data.Add(f);
        return data;
    }

    [Fact]
    public void TheSevenLessonsExist() =>
        Assert.Equal(["00-setup.ipynb", "01-vgg19.ipynb", "02-feature-maps.ipynb", "03-losses.ipynb", "04-style-transfer.ipynb", "05-experiments.ipynb", "06-control.ipynb"], Files());

    [Theory]
    [MemberData(nameof(Lessons))]
    public void LessonIsCleanAndLintFree(string name)
    {
        string path = Path.Combine(TestPaths.RepoRoot, "notebooks", name);
        Assert.Empty(NotebookLint.Check(File.ReadAllText(path), name).Select(f => f.ToString()));
        var nb = NotebookDocument.Load(path);
        Assert.Equal("markdown", nb.Cells[0].Kind);
        Assert.Contains("Things to try", nb.Cells[^1].Source);
        // No cell longer than a screen.
        Assert.All(nb.Cells.Where(c => c.Kind == "code"), c => Assert.True(c.Source.Split('\n').Length <= 20, $"cell {c.Index} has {c.Source.Split('\n').Length} lines"));
    }

    [Fact]
    public void TheRenderedPagesAreTheNotebooksRender()
    {
        var notebooks = Files().Select(f => Path.Combine(TestPaths.RepoRoot, "notebooks", f)).ToList();
        Assert.Empty(RenderedPages.Check(notebooks, Path.Combine(TestPaths.RepoRoot, RenderedPages.Folder), all: true));
    }
}
