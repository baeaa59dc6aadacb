namespace NotebookStyle.NotebookRunner;

/// <summary>
/// Keeps docs/lessons the notebooks' render: every lesson has its page, each page's code cells are its notebook's
/// (the same cells, in order, character for character), no page is left from a lesson that is gone, and each notebook
/// links to its page. A finding says which cell differs and how to bring the page up to date.
/// </summary>
public static class RenderedPages
{
    /// <summary>The folder of the rendered pages, relative to the repository root.</summary>
    public const string Folder = "docs/lessons";

    /// <summary>What to run when a page is stale.</summary>
    public const string Remedy = "render the lessons again: notebooks/run.sh (full mode), then notebooks/render.sh";

    /// <summary>The link a notebook's first cell carries to its page, relative to notebooks/.</summary>
    public static string LinkOf(string notebookPath) => $"../{Folder}/{Path.GetFileNameWithoutExtension(notebookPath)}.md";

    /// <summary>Checks the pages in <paramref name="pagesDir"/> against <paramref name="notebooks"/>.</summary>
    /// <param name="notebooks">The notebooks (paths).</param>
    /// <param name="pagesDir">The folder of the rendered pages.</param>
    /// <param name="all">The notebooks are all the lessons: a page without a notebook is a finding too.</param>
    /// <returns>The findings, one line each (empty: the pages are current).</returns>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> notebooks, string pagesDir, bool all)
    {
        var findings = new List<string>();
        foreach (var path in notebooks)
        {
            string stem = Path.GetFileNameWithoutExtension(path), name = Path.GetFileName(path);
            var notebook = NotebookDocument.Load(path);
            if (!notebook.Cells.Any(c => c.Kind == "markdown" && c.Source.Contains($"]({LinkOf(path)})", StringComparison.Ordinal)))
                findings.Add($"{name}: no link to its rendered page; add [{Folder}/{stem}.md]({LinkOf(path)}) to its first cell.");
            string page = Path.Combine(pagesDir, stem + ".md");
            if (!File.Exists(page))
            {
                findings.Add($"{Folder}/{stem}.md is missing: {Remedy}.");
                continue;
            }
            // In page order: each code cell, and any C# block a markdown cell shows as text.
            var expected = notebook.Cells
                .SelectMany(c => c.Kind == "code" ? [c.Source.TrimEnd()] : c.Kind == "markdown" ? CodeBlocks(c.Source) : [])
                .ToList();
            var actual = CodeBlocks(File.ReadAllText(page));
            for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
                if (expected[i] != actual[i])
                {
                    findings.Add($"{Folder}/{stem}.md: code cell {i + 1} differs from {name}'s ({FirstDifference(expected[i], actual[i])}): {Remedy}.");
                    break;
                }
            if (expected.Count != actual.Count)
                findings.Add($"{Folder}/{stem}.md has {actual.Count} code cells, {name} {expected.Count}: {Remedy}.");
        }
        if (all && Directory.Exists(pagesDir))
        {
            var stems = notebooks.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
            foreach (var page in Directory.GetFiles(pagesDir, "*.md").Where(p => Path.GetFileName(p) != "README.md").OrderBy(p => p, StringComparer.Ordinal))
                if (!stems.Contains(Path.GetFileNameWithoutExtension(page)))
                    findings.Add($"{Folder}/{Path.GetFileName(page)} has no notebook in notebooks/: delete it or {Remedy}.");
        }
        return findings;
    }

    /// <summary>The C# code blocks of a rendered page (between a line <c>```csharp</c> and a line <c>```</c>), in order.</summary>
    public static IReadOnlyList<string> CodeBlocks(string markdown)
    {
        var blocks = new List<string>();
        List<string>? current = null;
        foreach (var line in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (current is null)
            {
                if (line == "```csharp") current = [];
            }
            else if (line == "```")
            {
                blocks.Add(string.Join('\n', current).TrimEnd());
                current = null;
            }
            else current.Add(line);
        }
        return blocks;
    }

    private static string FirstDifference(string expected, string actual)
    {
        var (e, a) = (expected.Split('\n'), actual.Split('\n'));
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string ei = i < e.Length ? e[i] : "(nothing)", ai = i < a.Length ? a[i] : "(nothing)";
            if (ei != ai) return $"line {i + 1}: the notebook has \"{Cut(ei)}\", the page \"{Cut(ai)}\"";
        }
        return "whitespace";
    }

    private static string Cut(string s) => s.Length > 60 ? s[..57] + "…" : s;
}
