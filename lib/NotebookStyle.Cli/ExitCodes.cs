namespace NotebookStyle.Cli;

/// <summary>The CLI's exit codes (listed in the README).</summary>
internal static class ExitCodes
{
    /// <summary>The result was written.</summary>
    public const int Success = 0;

    /// <summary>An unexpected error (a bug): one line on stderr.</summary>
    public const int Unexpected = 1;

    /// <summary>Bad usage or bad input, found before the optimisation: nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>The loss became NaN or infinite, or GPU memory ran out: the last good image was written.</summary>
    public const int RunFailed = 3;

    /// <summary>The result could not be written where asked; it was kept at a path the message names.</summary>
    public const int WriteFailed = 4;

    /// <summary>Stopped by SIGHUP (the terminal or SSH session closed): like <see cref="Interrupted"/>.</summary>
    public const int HungUp = 129;

    /// <summary>Stopped by Ctrl+C (SIGINT): the best image so far was written if the optimisation had started.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM: like <see cref="Interrupted"/>.</summary>
    public const int Terminated = 143;
}
