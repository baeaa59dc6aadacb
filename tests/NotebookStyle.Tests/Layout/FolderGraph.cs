using System.Text.RegularExpressions;

namespace NotebookStyle.Tests.Layout;

/// <summary>
/// Which folders of <c>lib/NotebookStyle/</c> use which, read from the source: every <c>using NotebookStyle.X</c> line
/// (static and alias forms included) and every fully qualified <c>NotebookStyle.X.</c> reference counts as an edge from
/// the file's folder to X. Files directly in the library's root (namespace <c>NotebookStyle</c>) belong to no folder.
/// </summary>
public sealed partial class FolderGraph
{
    private FolderGraph(IReadOnlyList<string> folders, IReadOnlyList<Edge> edges, IReadOnlyList<string> namespaceMismatches)
    {
        Folders = folders;
        Edges = edges;
        NamespaceMismatches = namespaceMismatches;
    }

    /// <summary>One use of folder <paramref name="To"/> by a file of folder <paramref name="From"/>.</summary>
    public sealed record Edge(string From, string To, string File, string Line);

    /// <summary>The library's folders.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>Every use of another folder, with the file and line that makes it.</summary>
    public IReadOnlyList<Edge> Edges { get; }

    /// <summary>Files whose namespace is not <c>NotebookStyle.&lt;their folder&gt;</c>.</summary>
    public IReadOnlyList<string> NamespaceMismatches { get; }

    /// <summary>The folder graph: folder → the folders it uses.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Adjacency =>
        Folders.ToDictionary(f => f, f => (IReadOnlySet<string>)Edges.Where(e => e.From == f).Select(e => e.To).ToHashSet());

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?NotebookStyle\.(\w+)")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])NotebookStyle\.(\w+)\.")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)")]
    private static partial Regex NamespaceLine();

    /// <summary>Reads every .cs file under <paramref name="libraryRoot"/> (bin and obj excluded).</summary>
    public static FolderGraph Read(string libraryRoot)
    {
        var folders = Directory.GetDirectories(libraryRoot).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();
        var edges = new List<Edge>();
        var mismatches = new List<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(libraryRoot, folder), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(libraryRoot, file);
                foreach (var line in File.ReadLines(file))
                {
                    if (NamespaceLine().Match(line) is { Success: true } ns)
                    {
                        if (ns.Groups[1].Value != $"NotebookStyle.{folder}") mismatches.Add($"{relative}: {ns.Groups[1].Value}");
                        continue;
                    }
                    var used = new HashSet<string>(StringComparer.Ordinal);
                    if (UsingLine().Match(line) is { Success: true } u) used.Add(u.Groups[1].Value);
                    foreach (Match q in QualifiedName().Matches(line)) used.Add(q.Groups[1].Value);
                    foreach (var to in used.Where(t => t != folder && folders.Contains(t)))
                        edges.Add(new Edge(folder, to, relative, line.Trim()));
                }
            }
        }
        return new FolderGraph(folders, edges, mismatches);
    }

    /// <summary>A cycle of <paramref name="graph"/> as a path that ends where it starts, or null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path; true: done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            if (state.TryGetValue(node, out bool done))
                return done ? null : [.. path.Skip(path.IndexOf(node)), node];
            state[node] = false;
            path.Add(node);
            foreach (var next in graph.TryGetValue(node, out var targets) ? targets.Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
                if (Visit(next) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            state[node] = true;
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
            if (Visit(node) is { } cycle) return cycle;
        return null;
    }
}
