using System.Diagnostics;

namespace NotebookStyle.Tests.Sdk;

/// <summary>
/// A temporary folder that stands for PATH: the few tools the scripts use (bash, sed, sort…) as links to the real ones,
/// and, when asked, a fake <c>dotnet</c> that answers <c>--list-sdks</c> with the given lines and records every call.
/// Nothing else is on that PATH, so a real dotnet cannot be reached.
/// </summary>
internal sealed class FakeDotnetPath : IDisposable
{
    /// <summary>What the scripts before any dotnet command (lib/check-sdk.sh, the top of notebooks/run.sh) call.</summary>
    private static readonly string[] Tools = ["bash", "sh", "env", "dirname", "readlink", "sed", "head", "sort", "awk", "paste", "cat"];

    private readonly string _root;

    /// <summary>The folder to put on PATH.</summary>
    public string Bin { get; }

    /// <summary>The fake dotnet's log: one line per call, its arguments.</summary>
    private string CallLog => Path.Combine(_root, "dotnet-calls.log");

    /// <param name="listSdks">The lines <c>dotnet --list-sdks</c> prints, or null for no dotnet at all.</param>
    public FakeDotnetPath(IReadOnlyList<string>? listSdks)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The fake PATH needs a POSIX shell.");
        _root = Directory.CreateTempSubdirectory("notebookstyle-fake-dotnet-").FullName;
        Bin = Path.Combine(_root, "bin");
        Directory.CreateDirectory(Bin);
        foreach (string tool in Tools)
            File.CreateSymbolicLink(Path.Combine(Bin, tool), Which(tool));
        if (listSdks is null) return;
        string listing = string.Concat(listSdks.Select(l => $"echo '{l}'\n"));
        string dotnet = Path.Combine(Bin, "dotnet");
        // Any other command is what the check must prevent: record it and fail loudly.
        File.WriteAllText(dotnet, $$"""
            #!/bin/sh
            echo "$*" >> '{{CallLog}}'
            if [ "$1" = --list-sdks ]; then
            {{listing}}  exit 0
            fi
            echo "fake dotnet: $* must not be reached" >&2
            exit 97

            """);
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The calls the fake dotnet received, in order.</summary>
    public IReadOnlyList<string> Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>Runs <c>bash -c <paramref name="commandLine"/></c> from the repository root with only <see cref="Bin"/> on PATH.</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(string commandLine)
    {
        var start = new ProcessStartInfo(Which("bash"))
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        start.Environment["PATH"] = Bin;
        start.Environment.Remove("DOTNET_ROOT");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{commandLine}` did not finish within 60 s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The real path of a tool on this machine's PATH.</summary>
    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"`{tool}` is not on PATH: the SDK check tests need it.", tool);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* best effort: a temp folder */ }
    }
}
