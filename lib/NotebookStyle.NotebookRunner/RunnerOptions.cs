namespace NotebookStyle.NotebookRunner;

/// <summary>Command-line options of the runner.</summary>
/// <param name="Check">Lint instead of running.</param>
/// <param name="Timeout">Per-notebook limit.</param>
/// <param name="Out">Output folder (default: out/ under the repository).</param>
/// <param name="Notebooks">Notebooks to process (default: all lessons).</param>
/// <param name="Render">Render the executed lessons in <paramref name="Out"/> as Markdown into this folder instead of running.</param>
/// <param name="Editions">Write the student and teacher editions of the notebooks into this folder instead of running.</param>
public sealed record RunnerOptions(bool Check, TimeSpan Timeout, string? Out, IReadOnlyList<string> Notebooks, string? Render = null, string? Editions = null)
{
    /// <summary>Parses the arguments; null on bad usage.</summary>
    public static RunnerOptions? Parse(IReadOnlyList<string> args)
    {
        bool check = false;
        var timeout = TimeSpan.FromSeconds(300);
        string? output = null, render = null, editions = null;
        var notebooks = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--check": check = true; break;
                case "--timeout" when i + 1 < args.Count && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0:
                    timeout = TimeSpan.FromSeconds(s); i++; break;
                case "--out" when i + 1 < args.Count: output = args[++i]; break;
                case "--render" when i + 1 < args.Count: render = args[++i]; break;
                case "--editions" when i + 1 < args.Count: editions = args[++i]; break;
                case var a when a.StartsWith("--", StringComparison.Ordinal): return null;
                default: notebooks.Add(args[i]); break;
            }
        }
        return new RunnerOptions(check, timeout, output, notebooks, render, editions);
    }

    /// <summary>The folder holding NotebookStyle.sln at or above <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "NotebookStyle.sln"))) return d.FullName;
        throw new DirectoryNotFoundException($"No NotebookStyle.sln at or above {start}.");
    }
}
