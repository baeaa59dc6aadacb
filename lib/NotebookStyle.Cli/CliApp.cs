using System.CommandLine;

namespace NotebookStyle.Cli;

/// <summary>
/// The command-line front end: parse, then hand over to <see cref="StylizeCommand"/>. Every ending is at most one line
/// on stderr, never a stack trace; the exit codes are in <see cref="ExitCodes"/>: 0 success; 1 an unexpected error;
/// 2 bad usage or bad input (nothing written); 3 the loss went non-finite or GPU memory ran out (the last good image is
/// written); 4 the result could not be written where asked (kept where the message says); 130 Ctrl+C, 143 SIGTERM (the
/// best image so far is written once the optimisation has started).
/// </summary>
public static class CliApp
{
    /// <summary>Runs the CLI with <paramref name="args"/>, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliDefinition(stdout, stderr);
        ParseResult parsed = cli.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"error: {OneLine(parsed.Errors[0].Message)} (see --help)");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr });
        }
        catch (NotebookStyleException ex)
        {
            stderr.WriteLine($"error: {OneLine(ex.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            stderr.WriteLine($"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)} (please report this)");
            return ExitCodes.Unexpected;
        }
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
