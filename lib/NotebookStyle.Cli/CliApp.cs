using System.CommandLine;

namespace NotebookStyle.Cli;

/// <summary>
/// The command-line front end: parse, then hand over to <see cref="StylizeCommand"/>. Exit codes: 0 success;
/// 2 bad usage or bad input (one line on stderr, no stack trace); 3 the loss went non-finite (the last good image is
/// still written); 130 cancelled with Ctrl+C (the best image so far is written); 1 an unexpected error.
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
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr });
        }
        catch (NotebookStyleException ex)
        {
            stderr.WriteLine($"error: {OneLine(ex.Message)}");
            return 2;
        }
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
