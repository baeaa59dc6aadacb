using NotebookStyle.Cli;

namespace NotebookStyle.Tests.Cli;

/// <summary>The CLI run in this process (its entry point with captured output), for tests that need no separate process.</summary>
public static class InProcessCli
{
    /// <summary>Runs <c>nstyle ARGS</c>; returns the exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        Torch.Ready();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
