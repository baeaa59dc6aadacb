using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookStyle.NotebookRunner;

/// <summary>
/// One source, two editions (as nbgrader does): the lessons in notebooks/ hold each exercise's solution between
/// <see cref="Begin"/> and <see cref="End"/> lines, with the stub the learner gets written inside the block on
/// <see cref="Stub"/> lines. The teacher edition drops the marker and stub lines and keeps the solution (so the lessons
/// as committed run as the teacher edition); the student edition replaces each block by its stub, uncommented, and drops
/// the revealable answers (<see cref="AnswerPattern"/>) from the markdown. Both have their outputs cleared.
/// </summary>
public static partial class Editions
{
    /// <summary>The line that opens a solution.</summary>
    public const string Begin = "// BEGIN SOLUTION";

    /// <summary>The line that closes it.</summary>
    public const string End = "// END SOLUTION";

    /// <summary>The start of a line inside a solution that is, uncommented, a line of the student's stub.</summary>
    public const string Stub = "// STUB:";

    /// <summary>The edition names, as folders under the output.</summary>
    public static readonly IReadOnlyList<string> Names = ["student", "teacher"];

    /// <summary>A revealable answer in markdown: <c>&lt;details&gt;&lt;summary&gt;Answer&lt;/summary&gt;</c> … <c>&lt;/details&gt;</c>.</summary>
    [GeneratedRegex(@"[ \t]*<details>\s*<summary>Answer</summary>.*?</details>[ \t]*\n?", RegexOptions.Singleline)]
    public static partial Regex AnswerPattern();

    /// <summary>Whether a code cell holds an exercise (a solution block).</summary>
    public static bool IsExercise(string source) => source.Split('\n').Any(l => l.Trim() == Begin);

    /// <summary>What is wrong with a cell's markers, or null: unbalanced, nested, or a block without a stub.</summary>
    public static string? Problem(string source)
    {
        bool inside = false, stub = false;
        int opened = 0;
        var lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t == Begin)
            {
                if (inside) return $"line {i + 1}: {Begin} inside the solution opened on line {opened}; close it first ({End}).";
                (inside, stub, opened) = (true, false, i + 1);
            }
            else if (t == End)
            {
                if (!inside) return $"line {i + 1}: {End} without {Begin}.";
                if (!stub) return $"the solution on lines {opened}–{i + 1} has no {Stub} line: write the code the student edition gets instead (it must compile).";
                inside = false;
            }
            else if (t.StartsWith(Stub, StringComparison.Ordinal))
            {
                if (!inside) return $"line {i + 1}: {Stub} outside a solution block.";
                stub = true;
            }
        }
        return inside ? $"the solution opened on line {opened} is not closed ({End})." : null;
    }

    /// <summary>A code cell's source in one edition.</summary>
    /// <exception cref="InvalidDataException">Malformed markers (see <see cref="Problem"/>).</exception>
    public static string Code(string source, bool student, string where = "cell")
    {
        if (Problem(source) is { } problem) throw new InvalidDataException($"{where}: {problem}");
        var output = new List<string>();
        bool inside = false;
        foreach (var line in source.Split('\n'))
        {
            string t = line.Trim();
            if (t == Begin) { inside = true; continue; }
            if (t == End) { inside = false; continue; }
            if (t.StartsWith(Stub, StringComparison.Ordinal))
            {
                if (student)
                {
                    string indent = line[..(line.Length - line.TrimStart().Length)];
                    string code = t[Stub.Length..];
                    output.Add(indent + (code.StartsWith(' ') ? code[1..] : code));
                }
                continue;
            }
            if (inside && student) continue;
            output.Add(line);
        }
        return string.Join('\n', output);
    }

    /// <summary>A markdown cell's source in one edition: the student's has no revealable answers.</summary>
    public static string Markdown(string source, bool student) =>
        student ? BlankLines().Replace(AnswerPattern().Replace(source, ""), "\n\n").TrimEnd('\n') : source;

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();

    /// <summary>A whole notebook's JSON in one edition: sources transformed, outputs and execution counts cleared, metadata kept.</summary>
    /// <exception cref="InvalidDataException">Not a notebook, or malformed markers.</exception>
    public static string Notebook(string json, string name, bool student)
    {
        NotebookDocument.Parse(json, name); // a named error for what is not a notebook
        var root = JsonNode.Parse(json)!.AsObject();
        var cells = root["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!.AsObject();
            string kind = (string?)cell["cell_type"] ?? "";
            string source = NotebookDocument.Parse(new JsonObject { ["cells"] = new JsonArray(cell.DeepClone()) }.ToJsonString(), name).Cells[0].Source;
            string edited = kind switch
            {
                "code" => Code(source, student, $"{name} cell {i}"),
                "markdown" => Markdown(source, student),
                _ => source,
            };
            cell["source"] = Lines(edited);
            if (kind == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
        }
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Writes both editions of every notebook into OUT/student/ and OUT/teacher/; returns the files written.</summary>
    /// <exception cref="InvalidDataException">A notebook with malformed markers (nothing of it is written).</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<string> notebooks, string outDir)
    {
        var files = new List<string>();
        var editions = notebooks.Select(nb => (Name: Path.GetFileName(nb), Json: File.ReadAllText(nb)))
            .SelectMany(nb => Names.Select(e => (Edition: e, nb.Name, Text: Notebook(nb.Json, nb.Name, e == "student"))))
            .ToList();
        foreach (var (edition, name, text) in editions)
        {
            string dir = Path.Combine(outDir, edition);
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, text);
            files.Add(path);
        }
        return files;
    }

    private static JsonArray Lines(string source)
    {
        var array = new JsonArray();
        int start = 0;
        for (int i = 0; i < source.Length; i++)
            if (source[i] == '\n') { array.Add(source[start..(i + 1)]); start = i + 1; }
        if (start < source.Length) array.Add(source[start..]);
        return array;
    }
}
