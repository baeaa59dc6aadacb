using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookStyle.NotebookRunner;

/// <summary>
/// Turns executed lessons into Markdown a code-hosting site shows as it is — prose, code, text outputs and every
/// picture as a PNG file beside it — with a header saying what made it (<see cref="RunRecord"/>). The kernel's own
/// chatter (package installation, extension loading) and scripts are left out; HTML tables are kept (sites render them).
/// </summary>
public static partial class LessonRenderer
{
    /// <summary>Longest text output kept, in characters (the rest is cut with a note).</summary>
    public const int MaxText = 4000;

    /// <summary>Renders every executed notebook under <paramref name="runDir"/>/notebooks into <paramref name="target"/>; returns the files written.</summary>
    /// <exception cref="DirectoryNotFoundException">No executed notebooks in <paramref name="runDir"/>.</exception>
    public static IReadOnlyList<string> RenderAll(string runDir, string target)
    {
        string notebooks = Path.Combine(runDir, "notebooks");
        if (!Directory.Exists(notebooks) || Directory.GetFiles(notebooks, "*.ipynb").Length == 0)
            throw new DirectoryNotFoundException($"No executed notebooks in {notebooks}: run the course first (notebooks/run.sh).");
        var record = RunRecord.Load(runDir);
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.CreateDirectory(target);
        var written = new List<string>();
        var index = new StringBuilder("# The lessons, executed\n\n");
        index.Append(record?.Describe() ?? "Executed by notebooks/run.sh (no run.json: network and sizes unknown).").Append("\n\n");
        index.Append("Rendered by `notebooks/render.sh` from the run's output; the notebooks themselves are in `notebooks/`.\n\n");
        index.Append("| lesson | run time | pictures |\n|---|---:|---:|\n");
        foreach (var path in Directory.GetFiles(notebooks, "*.ipynb").OrderBy(p => p, StringComparer.Ordinal))
        {
            var nb = NotebookDocument.Load(path);
            string stem = Path.GetFileNameWithoutExtension(path);
            var (markdown, pictures) = Render(nb, stem, record);
            string images = Path.Combine(target, "images", stem);
            if (pictures.Count > 0) Directory.CreateDirectory(images);
            foreach (var (name, bytes) in pictures)
            {
                File.WriteAllBytes(Path.Combine(images, name), bytes);
                written.Add(Path.Combine(images, name));
            }
            string md = Path.Combine(target, stem + ".md");
            File.WriteAllText(md, markdown);
            written.Add(md);
            var lesson = record?.Lessons.FirstOrDefault(l => l.Notebook == Path.GetFileName(path));
            string time = lesson is null ? "–" : lesson.Seconds.ToString("F0", CultureInfo.InvariantCulture) + " s";
            index.Append($"| [{Title(nb) ?? stem}]({stem}.md) | {time} | {pictures.Count} |\n");
        }
        File.WriteAllText(Path.Combine(target, "README.md"), index.ToString());
        written.Add(Path.Combine(target, "README.md"));
        return written;
    }

    /// <summary>One notebook as Markdown, and its pictures (file name, PNG bytes) under images/STEM/.</summary>
    public static (string Markdown, IReadOnlyList<(string Name, byte[] Png)> Pictures) Render(NotebookDocument notebook, string stem, RunRecord? record)
    {
        var md = new StringBuilder();
        var pictures = new List<(string, byte[])>();
        md.Append("<!-- Rendered by notebooks/render.sh from an executed copy of notebooks/").Append(notebook.Name).Append("; edit the notebook, not this file. -->\n\n");
        bool headerDone = false;
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == "markdown")
            {
                // The notebook's link to this page is left out of the page itself.
                string own = $"]({RenderedPages.LinkOf(notebook.Name)})";
                var kept = cell.Source.TrimEnd().Split('\n').ToList();
                int at = kept.FindIndex(l => l.Contains(own, StringComparison.Ordinal));
                if (at >= 0)
                {
                    kept.RemoveAt(at);
                    if (at < kept.Count && at > 0 && kept[at].Length == 0 && kept[at - 1].Length == 0) kept.RemoveAt(at); // no double blank line
                }
                string prose = string.Join('\n', kept);
                md.Append(Relink(prose)).Append("\n\n");
                if (!headerDone && cell.Source.TrimStart().StartsWith('#'))
                {
                    md.Append("> ").Append(record?.Describe() ?? "Executed by notebooks/run.sh.").Append("\n\n");
                    headerDone = true;
                }
                continue;
            }
            if (cell.Kind != "code") continue;
            md.Append("```csharp\n").Append(cell.Source.TrimEnd()).Append("\n```\n\n");
            int k = 0;
            foreach (var output in cell.Outputs)
                md.Append(RenderOutput(output, stem, cell.Index, ref k, pictures));
        }
        return (md.ToString(), pictures);
    }

    private static string RenderOutput(JsonObject output, string stem, int cell, ref int k, List<(string, byte[])> pictures)
    {
        string type = output["output_type"]?.GetValue<string>() ?? "";
        if (type == "error")
            return Fence("error: " + (output["evalue"]?.GetValue<string>() ?? ""));
        if (type == "stream")
            return Fence(output["text"] is JsonArray a ? string.Concat(a.Select(p => p?.GetValue<string>())) : output["text"]?.GetValue<string>() ?? "");
        if (NotebookDocument.MimeText(output, "image/png") is { Length: > 0 } png && OutputScan.TryDecode(png, out var bytes))
            return Image(bytes, stem, cell, ref k, pictures);
        if (NotebookDocument.MimeText(output, "text/html") is { } html)
        {
            if (KernelChatter().IsMatch(html)) return "";
            var sb = new StringBuilder();
            foreach (var picture in OutputScan.DataUriPictures(html))
                if (OutputScan.TryDecode(picture, out var inner)) sb.Append(Image(inner, stem, cell, ref k, pictures));
            if (sb.Length > 0) return sb.ToString();
            string kept = Relink(Script().Replace(Style().Replace(html, ""), "").Trim());
            return kept.Length == 0 || kept.Length > 20000 ? "" : kept + "\n\n";
        }
        if (NotebookDocument.MimeText(output, "text/plain") is { } text)
            return text.StartsWith("Loading extensions from", StringComparison.Ordinal) ? "" : Fence(text);
        return "";
    }

    private static string Image(byte[] png, string stem, int cell, ref int k, List<(string, byte[])> pictures)
    {
        string name = $"cell{cell:D2}-{k++:D2}.png";
        pictures.Add((name, png));
        return $"![cell {cell} output {k}](images/{stem}/{name})\n\n";
    }

    private static string Fence(string text)
    {
        text = text.TrimEnd();
        if (text.Length == 0) return "";
        if (text.Length > MaxText) text = text[..MaxText] + $"\n… ({(text.Length - MaxText).ToString(CultureInfo.InvariantCulture)} more characters)";
        return "```text\n" + text.Replace("```", "`\u200b``", StringComparison.Ordinal) + "\n```\n\n";
    }

    /// <summary>
    /// Links written for notebooks/ made right for docs/lessons/: a page (../docs/lessons/X.md) is beside it, another
    /// lesson (X.ipynb) is its page, and what lies at the repository's root (../README.md) is two folders up.
    /// </summary>
    public static string Relink(string text) => NotebookLink().Replace(
        text.Replace("](../docs/lessons/", "](", StringComparison.Ordinal),
        m => m.Groups[1].Value + m.Groups[2].Value + ".md" + m.Groups[3].Value)
        .Replace("](../", "](../../", StringComparison.Ordinal)
        .Replace("href=\"../", "href=\"../../", StringComparison.Ordinal);

    [GeneratedRegex(@"(\]\()(\d\d-[\w-]+)\.ipynb(\)|#)")]
    private static partial Regex NotebookLink();

    private static string? Title(NotebookDocument nb) =>
        nb.Cells.FirstOrDefault(c => c.Kind == "markdown")?.Source.Split('\n')[0].TrimStart('#', ' ').Trim();

    [GeneratedRegex("Installing Packages|Installed Packages|Restore sources", RegexOptions.IgnoreCase)]
    private static partial Regex KernelChatter();

    [GeneratedRegex("<script[\\s\\S]*?</script>", RegexOptions.IgnoreCase)]
    private static partial Regex Script();

    [GeneratedRegex("<style[\\s\\S]*?</style>", RegexOptions.IgnoreCase)]
    private static partial Regex Style();
}
