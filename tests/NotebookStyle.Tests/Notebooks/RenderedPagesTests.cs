using System.Text.Json.Nodes;
using NotebookStyle.NotebookRunner;

namespace NotebookStyle.Tests.Notebooks;

/// <summary>docs/lessons stays the notebooks' render: a stale, missing or orphaned page is a named finding.</summary>
public class RenderedPagesTests
{
    private static string Notebook(string folder, string stem, string firstCell, params string[] code)
    {
        var cells = new JsonArray { new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = firstCell } };
        foreach (var c in code)
            cells.Add(new JsonObject { ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = c });
        string path = Path.Combine(folder, stem + ".ipynb");
        File.WriteAllText(path, new JsonObject { ["cells"] = cells, ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
        return path;
    }

    private static string Page(params string[] code) =>
        "# t\n\nprose\n\n" + string.Concat(code.Select(c => "```csharp\n" + c + "\n```\n\n```text\n42\n```\n\n"));

    [Fact]
    public void ACurrentPagePassesAndEachKindOfStalenessIsNamed()
    {
        var root = Directory.CreateTempSubdirectory("nstyle-pages-").FullName;
        var pages = Directory.CreateDirectory(Path.Combine(root, "pages")).FullName;
        string link = "# 03 · t\n\n[docs/lessons/03-x.md](../docs/lessons/03-x.md)\n";
        var nb = Notebook(root, "03-x", link, "var a = 1;", "a + 1\n");
        File.WriteAllText(Path.Combine(pages, "03-x.md"), Page("var a = 1;", "a + 1"));
        Assert.Empty(RenderedPages.Check([nb], pages, all: true));

        File.WriteAllText(Path.Combine(pages, "03-x.md"), Page("var a = 1;", "a + 2"));
        var stale = Assert.Single(RenderedPages.Check([nb], pages, all: true));
        Assert.Contains("code cell 2 differs", stale);
        Assert.Contains("\"a + 1\"", stale);
        Assert.Contains("notebooks/render.sh", stale);

        File.WriteAllText(Path.Combine(pages, "03-x.md"), Page("var a = 1;"));
        Assert.Contains("has 1 code cells, 03-x.ipynb 2", Assert.Single(RenderedPages.Check([nb], pages, all: true)));

        File.WriteAllText(Path.Combine(pages, "03-x.md"), Page("var a = 1;", "a + 1"));
        File.WriteAllText(Path.Combine(pages, "09-gone.md"), Page());
        Assert.Contains("09-gone.md has no notebook", Assert.Single(RenderedPages.Check([nb], pages, all: true)));
        Assert.Empty(RenderedPages.Check([nb], pages, all: false)); // checking some notebooks: other pages are not theirs
        File.Delete(Path.Combine(pages, "09-gone.md"));

        var unlinked = Notebook(root, "04-y", "# 04 · y\n", "1");
        File.WriteAllText(Path.Combine(pages, "04-y.md"), Page("1"));
        Assert.Contains("no link to its rendered page", Assert.Single(RenderedPages.Check([unlinked], pages, all: false)));

        File.Delete(Path.Combine(pages, "03-x.md"));
        Assert.Contains("03-x.md is missing", Assert.Single(RenderedPages.Check([nb], pages, all: false)));

        // A C# block that a markdown cell shows as text is on the page too, in its place.
        var shown = Notebook(root, "05-z", "# 05 · z\n\n[p](../docs/lessons/05-z.md)\n\n```csharp\nvar shown = 1;\n```\n", "run()");
        File.WriteAllText(Path.Combine(pages, "05-z.md"), Page("var shown = 1;", "run()"));
        Assert.Empty(RenderedPages.Check([shown], pages, all: false));
    }

    [Fact]
    public void LinksWrittenForNotebooksPointRightFromThePages()
    {
        Assert.Equal("[the README](../../README.md#networks-and-weights)", LessonRenderer.Relink("[the README](../README.md#networks-and-weights)"));
        Assert.Equal("[lesson 05](05-experiments.md)", LessonRenderer.Relink("[lesson 05](05-experiments.ipynb)"));
        Assert.Equal("[page](03-losses.md)", LessonRenderer.Relink("[page](../docs/lessons/03-losses.md)"));
        Assert.Equal("<a href=\"../../README.md#x\">how</a>", LessonRenderer.Relink("<a href=\"../README.md#x\">how</a>"));
    }
}
