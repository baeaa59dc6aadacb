using System.Text.Json.Nodes;
using NotebookStyle.NotebookRunner;

namespace NotebookStyle.Tests.Notebooks;

public class NotebookLintTests
{
    private static string Notebook(params (string Kind, string Source, JsonArray? Outputs, int? Count)[] cells)
    {
        var arr = new JsonArray();
        foreach (var c in cells)
        {
            var cell = new JsonObject { ["cell_type"] = c.Kind, ["source"] = c.Source, ["metadata"] = new JsonObject() };
            if (c.Kind == "code")
            {
                cell["outputs"] = c.Outputs ?? new JsonArray();
                cell["execution_count"] = c.Count is int n ? JsonValue.Create(n) : null;
            }
            arr.Add(cell);
        }
        return new JsonObject { ["cells"] = arr, ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString();
    }

    private static IReadOnlyList<LintFinding> Lint(string code, JsonArray? outputs = null, int? count = null) =>
        NotebookLint.Check(Notebook(("markdown", "# t", null, null), ("code", NotebookLint.LibraryReference, null, null), ("code", code, outputs, count)), "t.ipynb");

    [Fact]
    public void ACleanNotebookPasses() => Assert.Empty(Lint("var x = 1; // a comment is fine here\nx"));

    [Fact]
    public void OutputsAndExecutionCountsAreFound()
    {
        Assert.Single(Lint("1", new JsonArray(new JsonObject { ["output_type"] = "stream" })));
        Assert.Single(Lint("1", count: 3));
    }

    [Theory]
    [InlineData("#r \"nuget: Foo, 1.0\" // pinned")]
    [InlineData("#r \"x.dll\"   # note")]
    [InlineData("#r @csharp:path")]
    [InlineData("#r \"@input:path\"")]
    [InlineData("#i \"nuget: ../feed\"")]
    [InlineData("#i \"./packages\"")]
    public void DirectiveTrapsAreFound(string line) => Assert.Single(Lint(line));

    [Theory]
    [InlineData("#r \"nuget: Foo, 1.0\"")]
    [InlineData("#i \"nuget: /abs/feed\"")]
    [InlineData("#i \"nuget: https://example.org/v3/index.json\"")]
    [InlineData("  #r \"../other.dll\"")]
    public void GoodDirectivesPass(string line) => Assert.Empty(Lint(line));

    [Fact]
    public void CodeLinesLongerThanTheLimitAreFound()
    {
        string limit = "var x = \"" + new string('a', NotebookLint.MaxLineLength - 11) + "\";";
        Assert.Equal(NotebookLint.MaxLineLength, limit.Length);
        Assert.Empty(Lint(limit + "\nx"));
        // Characters, not UTF-16 units or bytes: a line of "·" at the limit passes.
        Assert.Empty(Lint("// " + new string('·', NotebookLint.MaxLineLength - 3)));
        var found = Assert.Single(Lint("x\n" + limit + "b"));
        Assert.Contains("line 2 has 101 characters", found.Problem);
    }

    [Fact]
    public void TheLibraryMustBeReferencedFirstByTheRelativePath()
    {
        var findings = NotebookLint.Check(Notebook(("code", "#r \"/abs/NotebookStyle.dll\"", null, null)), "t.ipynb");
        Assert.Contains(findings, f => f.Problem.Contains(NotebookLint.LibraryReference));
        Assert.Single(NotebookLint.Check("{ not json", "bad.ipynb"));
    }
}
