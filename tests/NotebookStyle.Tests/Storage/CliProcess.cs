using System.Diagnostics;
using System.Text;

namespace NotebookStyle.Tests.Storage;

/// <summary>The built CLI (<c>nstyle.dll</c> beside the tests) run as a real process, output captured.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new(), _err = new();

    private CliProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <c>nstyle ARGS</c> with <paramref name="environment"/> added to this process's environment.</summary>
    public static CliProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "nstyle.dll");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new ProcessStartInfo(host, ["exec", dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return new CliProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI"));
    }

    /// <summary>Runs to the end (at most <paramref name="seconds"/>) and returns the exit code and output.</summary>
    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string> environment, int seconds, params string[] args)
    {
        using var process = Start(environment, args);
        return process.Wait(seconds);
    }

    /// <summary>Waits for the end (killing it after <paramref name="seconds"/>, which fails the test).</summary>
    public (int Code, string Out, string Err) Wait(int seconds)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(seconds)))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"nstyle did not finish within {seconds} s. stderr: {Err}");
        }
        _process.WaitForExit(); // drains the output
        return (_process.ExitCode, Out, Err);
    }

    /// <summary>Kills the process (as a crash or a closed terminal would) and waits until it is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Standard output so far.</summary>
    public string Out { get { lock (_out) return _out.ToString(); } }

    /// <summary>Standard error so far.</summary>
    public string Err { get { lock (_err) return _err.ToString(); } }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
