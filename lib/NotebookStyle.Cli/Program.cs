using System.CommandLine;
using NotebookStyle;
using NotebookStyle.Cli;

// The command-line front end: parse, then hand over to StylizeCommand. Exit codes: 0 success; 2 bad usage or bad
// input (one line on stderr, no stack trace); 3 the loss went non-finite (the last good image is still written);
// 130 cancelled with Ctrl+C (the best image so far is written); 1 an unexpected error.
var cli = new CliDefinition();
ParseResult parsed = cli.Root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
    return 2;
}
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (NotebookStyleException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
