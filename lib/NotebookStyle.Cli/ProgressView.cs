using NotebookStyle.Optimization;
using Spectre.Console;

namespace NotebookStyle.Cli;

/// <summary>Shows progress: a live bar on a terminal, a plain line every tenth iteration when output is redirected.</summary>
internal static class ProgressView
{
    public static StyleTransferResult Run(IReadOnlyList<ScaleStep> plan, Func<Action<StyleTransferProgress>, StyleTransferResult> run, TextWriter stdout)
    {
        int scales = plan.Count;
        // Coarse-to-fine runs count iterations per scale; the bar counts them all.
        int total = plan.Sum(scale => scale.Iterations);
        if (stdout != Console.Out || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return run(p =>
            {
                if (p.Iteration == 1 || p.Iteration % 10 == 0 || p.Iteration == plan[p.Scale].Iterations)
                    stdout.WriteLine($"{Where(p, scales)}iteration {p.Iteration}  evaluations {p.Evaluations}  {Describe(p)}");
            });
        }
        int done = 0;
        StyleTransferResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("stylising", maxValue: total);
                result = run(p =>
                {
                    task.Value = ++done;
                    task.Description = Markup.Escape(Where(p, scales) + Describe(p));
                });
                task.Value = total;
            });
        return result!;
    }

    private static string Where(StyleTransferProgress p, int scales) =>
        (scales > 1 ? $"scale {p.Scale + 1}/{scales} ({p.Width}×{p.Height})  " : "") +
        (p.Tiles > 1 ? $"{p.Tiles} tiles of {p.TileSize} px  " : "");

    private static string Describe(StyleTransferProgress p) =>
        $"loss {p.Loss.Total:G4} (" + string.Join(", ", p.Loss.Terms.Select(kv => $"{kv.Key} {kv.Value:G3}")) + ")" +
        (p.GpuMemoryBytes is long b ? $"  gpu {b / (1024.0 * 1024 * 1024):F1} GiB" : "");
}
