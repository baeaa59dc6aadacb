using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookStyle.NotebookRunner;

/// <summary>One problem in a committed notebook.</summary>
/// <param name="Notebook">File name.</param>
/// <param name="Cell">Cell index (0-based), or −1 for the whole notebook.</param>
/// <param name="Problem">What is wrong and how to fix it.</param>
public sealed record LintFinding(string Notebook, int Cell, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => Cell < 0 ? $"{Notebook}: {Problem}" : $"{Notebook} cell {Cell}: {Problem}";
}

/// <summary>
/// Checks committed notebooks: clean (no outputs, no execution counts) and free of the known dotnet-repl traps: a comment
/// after <c>#r</c> (hangs dotnet-repl forever), a relative <c>#i</c> source (fails with "Invalid URI"), interpolation in
/// <c>#r</c> (CS7010), and the library referenced other than through notebooks/NotebookStyle.dib. Code lines are at
/// most <see cref="MaxLineLength"/> characters, so that a cell reads without scrolling sideways.
/// </summary>
public static partial class NotebookLint
{
    /// <summary>
    /// The library reference every lesson starts with: notebooks/NotebookStyle.dib checks the build and brings the packed
    /// library in as a NuGet package (relative to notebooks/; run each notebook from its own folder).
    /// </summary>
    public const string LibraryReference = "#!import NotebookStyle.dib";

    /// <summary>The longest line a code cell may have, in characters.</summary>
    public const int MaxLineLength = 100;

    /// <summary>All findings for one notebook file's JSON.</summary>
    public static IReadOnlyList<LintFinding> Check(string json, string name)
    {
        var findings = new List<LintFinding>();
        NotebookDocument nb;
        try { nb = NotebookDocument.Parse(json, name); }
        catch (InvalidDataException ex) { return [new LintFinding(name, -1, ex.Message)]; }

        foreach (var cell in nb.Cells)
        {
            if (cell.Kind == "code")
            {
                if (cell.Outputs.Count > 0) findings.Add(new(name, cell.Index, $"has {cell.Outputs.Count} output(s): commit notebooks without outputs (clear all outputs before committing)."));
                if (cell.ExecutionCount is JsonValue v && v.GetValueKind() != System.Text.Json.JsonValueKind.Null)
                    findings.Add(new(name, cell.Index, "has an execution count: commit notebooks unexecuted (execution_count null)."));
                findings.AddRange(LintCode(name, cell.Index, cell.Source));
                if (Editions.Problem(cell.Source) is { } markers) findings.Add(new(name, cell.Index, $"solution markers: {markers}"));
            }
        }
        var first = nb.Cells.FirstOrDefault(c => c.Kind == "code");
        if (first is null) findings.Add(new(name, -1, "has no code cell."));
        else if (!first.Source.Split('\n').Select(l => l.Trim()).Contains(LibraryReference))
            findings.Add(new(name, first.Index, $"the first code cell must reference the library exactly as {LibraryReference}"));
        return findings;
    }

    /// <summary>The directive traps and over-long lines in one cell's code.</summary>
    public static IEnumerable<LintFinding> LintCode(string name, int cell, string source)
    {
        var lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            string t = line.TrimStart();
            // Text elements, not UTF-16 units: "·" or "²" is one character on the screen.
            int length = new System.Globalization.StringInfo(line).LengthInTextElements;
            if (length > MaxLineLength)
                yield return new(name, cell, $"line {i + 1} has {length} characters (at most {MaxLineLength}): break it.");
            if (t.StartsWith("#r", StringComparison.Ordinal))
            {
                var m = RDirective().Match(t);
                if (!m.Success)
                    yield return new(name, cell, $"line {i + 1}: '{t}' — a #r directive takes one quoted argument and nothing else (no interpolation: CS7010).");
                else if (m.Groups["rest"].Value.Trim().Length > 0)
                    yield return new(name, cell, $"line {i + 1}: text after #r \"…\" ('{m.Groups["rest"].Value.Trim()}') — a trailing comment on a #r line makes dotnet-repl hang forever; put the comment on its own line.");
                else if (m.Groups["arg"].Value.StartsWith('@') || m.Groups["arg"].Value.Contains('{'))
                    yield return new(name, cell, $"line {i + 1}: #r takes no interpolation ('{m.Groups["arg"].Value}').");
            }
            else if (t.StartsWith("#i", StringComparison.Ordinal))
            {
                var m = IDirective().Match(t);
                string arg = m.Success ? m.Groups["arg"].Value : "";
                string source2 = arg.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) ? arg[6..].Trim() : arg;
                if (!m.Success || m.Groups["rest"].Value.Trim().Length > 0)
                    yield return new(name, cell, $"line {i + 1}: '{t}' — #i takes one quoted argument and nothing after it.");
                else if (!(source2.StartsWith('/') || source2.Contains("://", StringComparison.Ordinal) || Regex.IsMatch(source2, "^[A-Za-z]:[\\\\/]")))
                    yield return new(name, cell, $"line {i + 1}: #i \"{arg}\" is a relative package source — dotnet-repl fails with 'Invalid URI'; use an absolute path, a URL, or a NuGet.config.");
            }
        }
    }

    [GeneratedRegex("^#r\\s+\"(?<arg>[^\"]*)\"(?<rest>.*)$")]
    private static partial Regex RDirective();

    [GeneratedRegex("^#i\\s+\"(?<arg>[^\"]*)\"(?<rest>.*)$")]
    private static partial Regex IDirective();
}
