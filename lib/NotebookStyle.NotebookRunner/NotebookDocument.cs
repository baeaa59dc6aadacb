using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookStyle.NotebookRunner;

/// <summary>One cell of a notebook as far as the runner and the linter care.</summary>
/// <param name="Index">Position in the notebook (0-based).</param>
/// <param name="Kind">code or markdown.</param>
/// <param name="Source">The cell's text.</param>
/// <param name="Outputs">Its outputs (JSON objects).</param>
/// <param name="ExecutionCount">Its execution count, when it has one.</param>
public sealed record NotebookCell(int Index, string Kind, string Source, IReadOnlyList<JsonObject> Outputs, JsonNode? ExecutionCount);

/// <summary>A .ipynb file, read with System.Text.Json.</summary>
public sealed class NotebookDocument
{
    private NotebookDocument(string name, IReadOnlyList<NotebookCell> cells)
    {
        Name = name;
        Cells = cells;
    }

    /// <summary>File name.</summary>
    public string Name { get; }

    /// <summary>The cells in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="InvalidDataException">Not a notebook.</exception>
    public static NotebookDocument Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Parses notebook JSON.</summary>
    /// <exception cref="InvalidDataException">Not a notebook.</exception>
    public static NotebookDocument Parse(string json, string name)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new InvalidDataException($"{name} is not valid JSON: {ex.Message}", ex); }
        if (root?["cells"] is not JsonArray cells) throw new InvalidDataException($"{name} has no cells: not a notebook.");
        var list = new List<NotebookCell>();
        foreach (var (node, i) in cells.Select((c, i) => (c, i)))
        {
            if (node is not JsonObject cell) throw new InvalidDataException($"{name}: cell {i} is not an object.");
            string kind = cell["cell_type"]?.GetValue<string>() ?? "";
            string source = cell["source"] switch
            {
                JsonArray parts => string.Concat(parts.Select(p => p?.GetValue<string>() ?? "")),
                JsonValue v => v.GetValue<string>(),
                _ => "",
            };
            var outputs = cell["outputs"] is JsonArray o ? o.OfType<JsonObject>().ToList() : [];
            list.Add(new NotebookCell(i, kind, source, outputs, cell.ContainsKey("execution_count") ? cell["execution_count"] : null));
        }
        return new NotebookDocument(name, list);
    }

    /// <summary>The text of an output's mime bundle entry (notebooks store text as a string or a list of lines).</summary>
    public static string? MimeText(JsonObject output, string mime) => output["data"]?[mime] switch
    {
        JsonArray parts => string.Concat(parts.Select(p => p?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => null,
    };
}
