using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace NotebookStyle.Tests.Cli;

/// <summary>
/// The built CLI (<c>nstyle.dll</c>) run as a real process with <c>dotnet</c>: its own exit code, stdout and stderr,
/// signals delivered by kill(2), stdin fed or closed.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private readonly TaskCompletionSource _firstIteration = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _watching = new();

    /// <summary>The largest resident memory seen of the process and its children together, in bytes (polled every 25 ms).</summary>
    public long PeakRss { get; private set; }

    /// <summary>Set when the process grew past its memory bound and was killed for it.</summary>
    public string? MemoryExceeded { get; private set; }

    /// <summary>The CLI's build output: $NSTYLE_DLL, else lib/NotebookStyle.Cli/bin/&lt;configuration&gt;/net10.0, else the copy beside the tests.</summary>
    public static string Dll { get; } = FindDll();

    private CliProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stdout) _stdout.AppendLine(e.Data);
            if (e.Data.StartsWith("iteration ", StringComparison.Ordinal)) _firstIteration.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
    }

    /// <summary>Starts <c>dotnet nstyle.dll args</c> in <paramref name="workingDirectory"/> (or, with <paramref name="bashLine"/>, that bash command line, <c>$NSTYLE</c> naming the CLI).</summary>
    /// <param name="maxRssBytes">Kill the process tree once its resident memory passes this (see <see cref="MemoryExceeded"/>); null: no bound.</param>
    public static CliProcess Start(string workingDirectory, IEnumerable<string> args, string? bashLine = null, IDictionary<string, string>? environment = null,
        long? maxRssBytes = null)
    {
        var start = new ProcessStartInfo(bashLine is null ? "dotnet" : "bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (bashLine is null)
        {
            start.ArgumentList.Add(Dll);
            foreach (var a in args) start.ArgumentList.Add(a);
        }
        else
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(bashLine);
            start.Environment["NSTYLE"] = $"dotnet {Dll}";
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var cli = new CliProcess(start);
        cli._process.Start();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        if (maxRssBytes is long bound) _ = cli.WatchMemory(bound);
        return cli;
    }

    /// <summary>
    /// Polls the resident memory of the process tree (/proc: the process and its descendants) and kills the tree once
    /// it passes <paramref name="bound"/>: a regression that makes the CLI grow without limit fails its case instead of
    /// taking the machine.
    /// </summary>
    private async Task WatchMemory(long bound)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            while (!_process.HasExited && !_watching.IsCancellationRequested)
            {
                long rss = TreeRss(_process.Id);
                if (rss > PeakRss) PeakRss = rss;
                if (rss > bound)
                {
                    MemoryExceeded = $"resident memory reached {rss / 1048576} MB, over the case's bound of {bound / 1048576} MB; the process was killed";
                    _process.Kill(entireProcessTree: true);
                    return;
                }
                await Task.Delay(25, _watching.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException) { }
    }

    /// <summary>VmRSS of <paramref name="pid"/> and every descendant, in bytes (0 for a process that is gone).</summary>
    private static long TreeRss(int pid)
    {
        long total = 0;
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            int id = pending.Pop();
            try
            {
                foreach (string line in File.ReadLines($"/proc/{id}/status"))
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                        total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                foreach (string task in Directory.EnumerateDirectories($"/proc/{id}/task"))
                    foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        pending.Push(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { /* exited meanwhile */ }
        }
        return total;
    }

    /// <summary>Writes <paramref name="bytes"/> to stdin (if any) and closes it.</summary>
    public void FeedStdin(byte[]? bytes)
    {
        try
        {
            if (bytes is not null) _process.StandardInput.BaseStream.Write(bytes);
            _process.StandardInput.Close();
        }
        catch (IOException) { /* the CLI stopped reading: it refused the input */ }
    }

    /// <summary>Completes when stdout shows the first "iteration" progress line (the optimisation is running).</summary>
    public Task FirstIteration => _firstIteration.Task;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => _process.WaitForExitAsync();

    public int Id => _process.Id;

    /// <summary>Sends <paramref name="signal"/> (SIGHUP 1, SIGINT 2, SIGTERM 15) to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the exit (killing the process after <paramref name="limit"/>) and returns what it said.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> Finish(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            throw new TimeoutException($"the CLI did not finish within {limit.TotalSeconds:F0} s; stderr: {_stderr}");
        }
        await _process.WaitForExitAsync(); // drains the redirected streams
        lock (_stdout) lock (_stderr) return (_process.ExitCode, _stdout.ToString(), _stderr.ToString());
    }

    public void Dispose()
    {
        _watching.Cancel();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        _watching.Dispose();
    }

    private static string FindDll()
    {
        // NSTYLE_DLL runs the matrix against another build (e.g. an older commit's, to see which cases it fails).
        if (Environment.GetEnvironmentVariable("NSTYLE_DLL") is { Length: > 0 } chosen) return chosen;
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release"; // bin/<configuration>/net10.0/
        string built = Path.Combine(TestPaths.RepoRoot, "lib", "NotebookStyle.Cli", "bin", configuration, "net10.0", "nstyle.dll");
        if (File.Exists(built)) return built;
        string beside = Path.Combine(AppContext.BaseDirectory, "nstyle.dll");
        return File.Exists(beside) ? beside : throw new FileNotFoundException($"The built CLI is missing: {built}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
