using System.Diagnostics;
using System.Globalization;

namespace NotebookStyle.NotebookRunner;

/// <summary>How one notebook run went.</summary>
/// <param name="Name">Notebook file name.</param>
/// <param name="ExitCode">dotnet-repl's exit code (null: killed at the timeout).</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Errors">Error outputs found in the executed notebook.</param>
/// <param name="Pictures">PNG files written.</param>
/// <param name="Problem">Why it failed beyond error outputs (timeout, no output notebook), or null.</param>
public sealed record ExecutionResult(string Name, int? ExitCode, TimeSpan Elapsed, IReadOnlyList<NotebookError> Errors, int Pictures, string? Problem)
{
    /// <summary>Passed: exit code 0, no error output, no other problem.</summary>
    public bool Passed => ExitCode == 0 && Errors.Count == 0 && Problem is null;

    /// <summary>One line (plus one per error).</summary>
    public string Summary()
    {
        string time = Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        string head = $"{(Passed ? "PASS" : "FAIL")} {Name} ({time} s, exit {(ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none")}, {Pictures} pictures)";
        var lines = new List<string> { head };
        if (Problem is not null) lines.Add($"     {Problem}");
        lines.AddRange(Errors.Select(e => $"     cell {e.Cell}: {e.Message}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Runs one notebook with dotnet-repl from its own folder (relative <c>#r</c> paths resolve against the working directory).</summary>
public static class NotebookExecution
{
    /// <summary>Runs <paramref name="notebook"/>, writes OUT/notebooks/NAME and OUT/images/STEM/*.png.</summary>
    public static ExecutionResult Run(string notebook, string outDir, TimeSpan timeout, string repositoryRoot)
    {
        string name = Path.GetFileName(notebook), stem = Path.GetFileNameWithoutExtension(notebook);
        string executed = Path.Combine(outDir, "notebooks", name);
        string images = Path.Combine(outDir, "images", stem);
        Directory.CreateDirectory(Path.GetDirectoryName(executed)!);
        if (File.Exists(executed)) File.Delete(executed);
        if (Directory.Exists(images)) Directory.Delete(images, recursive: true);

        var psi = DotnetRepl(name, executed, Path.GetDirectoryName(Path.GetFullPath(notebook))!);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        int? exit = null;
        string? problem = null;
        if (process.WaitForExit(timeout))
        {
            process.WaitForExit();
            exit = process.ExitCode;
        }
        else
        {
            // dotnet-repl hangs forever on some traps (e.g. a comment after #r): kill the whole tree.
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            problem = $"timed out after {timeout.TotalSeconds:F0} s (killed)";
        }
        clock.Stop();
        string log = (stdout.Result + stderr.Result).Trim();

        IReadOnlyList<NotebookError> errors = [];
        int pictures = 0;
        if (File.Exists(executed))
        {
            var nb = NotebookDocument.Load(executed);
            errors = OutputScan.Errors(nb);
            var found = OutputScan.Pictures(nb);
            if (found.Count > 0) Directory.CreateDirectory(images);
            foreach (var p in found)
                File.WriteAllBytes(Path.Combine(images, $"cell{p.Cell:D2}-{p.Index:D2}.png"), p.Bytes);
            pictures = found.Count;
        }
        else
        {
            problem ??= "dotnet-repl wrote no output notebook" + (log.Length > 0 ? $": {Tail(log)}" : "");
        }
        if (problem is null && OutputScan.NativeLogLines(log) is { Count: > 0 } native)
            problem = $"libtorch printed {native.Count} warning line(s) to the kernel's terminal, e.g. {native[0]}";
        if (problem is null && exit is not 0 && errors.Count == 0)
            problem = $"dotnet-repl exited with {exit}" + (log.Length > 0 ? $": {Tail(log)}" : "");
        return new ExecutionResult(name, exit, clock.Elapsed, errors, pictures, problem);
    }

    /// <summary>
    /// dotnet-repl (the repository's tool manifest) running <paramref name="notebook"/> once and writing the executed copy
    /// to <paramref name="output"/>, in <paramref name="workingDirectory"/> — relative paths in the notebook resolve there.
    /// </summary>
    public static ProcessStartInfo DotnetRepl(string notebook, string output, string workingDirectory)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "tool", "run", "dotnet-repl", "--run", notebook, "--exit-after-run", "--output-path", output }) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        return psi;
    }

    private static string Tail(string s) => s.Length > 600 ? "…" + s[^600..] : s;
}
