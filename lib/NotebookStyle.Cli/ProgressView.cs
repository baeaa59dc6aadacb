using NotebookStyle.Optimization;
using Spectre.Console;

namespace NotebookStyle.Cli;

/// <summary>Shows progress: a live bar on a terminal, a plain line every tenth iteration when output is redirected.</summary>
internal static class ProgressView
{
    public static StyleTransferResult Run(int iterations, Func<Action<StyleTransferProgress>, StyleTransferResult> run, TextWriter stdout)
    {
        if (stdout != Console.Out || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return run(p =>
            {
                if (p.Iteration == 1 || p.Iteration % 10 == 0 || p.Iteration == iterations)
                    stdout.WriteLine($"iteration {p.Iteration}/{iterations}  evaluations {p.Evaluations}  {Describe(p)}");
            });
        }
        StyleTransferResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("stylising", maxValue: iterations);
                result = run(p =>
                {
                    task.Value = p.Iteration;
                    task.Description = Markup.Escape(Describe(p));
                });
                task.Value = iterations;
            });
        return result!;
    }

    private static string Describe(StyleTransferProgress p) =>
        $"loss {p.Loss.Total:G4} (" + string.Join(", ", p.Loss.Terms.Select(kv => $"{kv.Key} {kv.Value:G3}")) + ")" +
        (p.GpuMemoryBytes is long b ? $"  gpu {b / (1024.0 * 1024 * 1024):F1} GiB" : "");
}
