using System.CommandLine;

namespace NotebookStyle.Cli;

/// <summary>
/// The command-line front end: parse, then hand over to <see cref="StylizeCommand"/>. Every ending is at most one line
/// on stderr, never a stack trace; the exit codes are in <see cref="ExitCodes"/>: 0 success; 1 an unexpected error;
/// 2 bad usage or bad input (nothing written); 3 the loss went non-finite or GPU memory ran out (the last good image is
/// written); 4 the result could not be written where asked (kept where the message says); 130 Ctrl+C, 143 SIGTERM (the
/// best image so far is written once the optimisation has started), 129 SIGHUP (likewise).
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
            stderr.WriteLine($"error: {Plain(OneLine(parsed.Errors[0].Message))} (see --help)");
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
        catch (OutOfMemoryException ex)
        {
            stderr.WriteLine($"error: out of memory ({OneLine(ex.Message)}); try a smaller --size or --memory-budget.");
            return ExitCodes.Unexpected;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)} (please report this)");
            return ExitCodes.Unexpected;
        }
    }

    /// <summary>
    /// A message on one line, without a native backtrace: libtorch appends "Exception raised from …" and a "frame #N"
    /// per native frame to its messages; only the sentence before them is the user's business.
    /// </summary>
    private static string OneLine(string message)
    {
        foreach (string marker in new[] { "Exception raised from", "frame #" })
            if (message.IndexOf(marker, StringComparison.Ordinal) is int at and > 0) message = message[..at];
        return string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Words instead of .NET type names in a parser's message (a fallback: the numeric options have their own parsers).</summary>
    private static string Plain(string message) => System.Text.RegularExpressions.Regex.Replace(message, @"expected type '([^']*)'", m => m.Groups[1].Value switch
    {
        var t when t.Contains("Int32", StringComparison.Ordinal) || t.Contains("Int64", StringComparison.Ordinal) => "expected a whole number",
        var t when t.Contains("Double", StringComparison.Ordinal) || t.Contains("Single", StringComparison.Ordinal) => "expected a number",
        var t when t.Contains("Boolean", StringComparison.Ordinal) => "expected true or false",
        _ => "expected a value of another kind",
    });
}
