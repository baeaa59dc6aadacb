using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookStyle.NotebookRunner;

namespace NotebookStyle.Tests.Kernel;

/// <summary>One output of an executed cell: its type (display_data, execute_result, stream, error) and its text.</summary>
public sealed record KernelOutput(int Cell, string Type, string Text);

/// <summary>How a notebook run in a real kernel went.</summary>
public sealed record KernelRun(int? ExitCode, IReadOnlyList<KernelOutput> Outputs, string Log)
{
    /// <summary>The error outputs.</summary>
    public IEnumerable<KernelOutput> Errors => Outputs.Where(o => o.Type == "error");

    /// <summary>All text of one cell's outputs.</summary>
    public string TextOf(int cell) => string.Join("\n", Outputs.Where(o => o.Cell == cell).Select(o => o.Text));

    /// <summary>Every output, for failure messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n" + string.Join("\n", Outputs.Select(o => $"[{o.Cell} {o.Type}] {(o.Text.Length > 400 ? o.Text[..400] + "…" : o.Text)}")) + "\n" + Log;
}

/// <summary>
/// Runs cells in a real notebook kernel — dotnet-repl from the repository's tool manifest, the kernel the lessons run in
/// — from a working folder (by default the repository's notebooks/, as the lessons run), with extra environment
/// variables, under a timeout.
/// </summary>
public static class KernelHarness
{
    /// <summary>Writes the cells to a notebook in a temporary folder, runs it, returns every output.</summary>
    public static KernelRun Run(IReadOnlyList<string> cells, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        string dir = Directory.CreateTempSubdirectory("notebookstyle-kernel-").FullName;
        try
        {
            string input = Path.Combine(dir, "probe.ipynb"), output = Path.Combine(dir, "probe.out.ipynb");
            File.WriteAllText(input, Notebook(cells));
            var psi = NotebookExecution.DotnetRepl(input, output, workingDirectory ?? Path.Combine(TestPaths.RepoRoot, "notebooks"));
            psi.Environment["NOTEBOOKSTYLE_QUICK"] = "1";
            psi.Environment["NOTEBOOKSTYLE_PLOTLY"] = "none"; // no 3 MB plotly.js in every output
            foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            int? exit = null;
            if (process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3))) { process.WaitForExit(); exit = process.ExitCode; }
            else { process.Kill(entireProcessTree: true); process.WaitForExit(); }
            string log = (stdout.Result + stderr.Result).Trim();
            return new KernelRun(exit, File.Exists(output) ? Outputs(File.ReadAllText(output)) : [], log);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static string Notebook(IReadOnlyList<string> cells)
    {
        var array = new JsonArray();
        foreach (var source in cells)
            array.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
                ["source"] = source,
                ["outputs"] = new JsonArray(),
                ["execution_count"] = null,
            });
        var nb = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = JsonNode.Parse("""{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"},"polyglot_notebook":{"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"languageName":"csharp","name":"csharp"}]}}}"""),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return nb.ToJsonString();
    }

    private static List<KernelOutput> Outputs(string json)
    {
        var list = new List<KernelOutput>();
        foreach (var cell in NotebookDocument.Parse(json, "executed").Cells)
        foreach (var o in cell.Outputs)
        {
            string type = (string?)o["output_type"] ?? "";
            string text = type switch
            {
                "error" => (string?)o["evalue"] ?? "",
                "stream" => Join(o["text"]),
                _ => NotebookDocument.MimeText(o, "text/plain") is { Length: > 0 } plain ? plain : NotebookDocument.MimeText(o, "text/html") ?? "",
            };
            list.Add(new KernelOutput(cell.Index, type, text));
        }
        return list;
    }

    private static string Join(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => (string?)x)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string?)v ?? "",
        _ => node.ToJsonString(),
    };
}
