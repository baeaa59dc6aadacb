using System.Text.Json;
using NotebookStyle.Losses;

namespace NotebookStyle.Cli;

/// <summary>
/// What <c>--metrics</c> writes: the run's settings, the initial and final value of each loss term, and the loss after
/// every iteration (the curve that tells how many iterations a picture needs) as camelCase JSON.
/// </summary>
internal sealed record Metrics
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public required string Content { get; init; }
    public required string Style { get; init; }
    public required string Output { get; init; }
    public required string Network { get; init; }
    public required string Weights { get; init; }
    public required string Device { get; init; }
    public required int Threads { get; init; }
    public required string Preset { get; init; }
    public required string Color { get; init; }
    public required double StyleScale { get; init; }
    public required int Scales { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required string Optimizer { get; init; }
    public required string Init { get; init; }
    public required long Seed { get; init; }
    public required int Iterations { get; init; }
    public required int Evaluations { get; init; }
    public required double OptimisationSeconds { get; init; }
    public required double LoadSeconds { get; init; }
    public required string StopReason { get; init; }
    public required IReadOnlyDictionary<string, double> Initial { get; init; }
    public required IReadOnlyDictionary<string, double> Final { get; init; }
    public required IReadOnlyList<MetricsIteration> History { get; init; }

    /// <summary>The history of a run, one entry per iteration.</summary>
    public static IReadOnlyList<MetricsIteration> Curve(IEnumerable<NotebookStyle.Optimization.StyleTransferProgress> history) =>
        [.. history.Select(p => new MetricsIteration(p.Scale, p.Iteration, p.Evaluations, p.Elapsed.TotalSeconds, Terms(p.Loss)))];

    /// <summary>Each loss term by name, plus "total".</summary>
    public static IReadOnlyDictionary<string, double> Terms(LossTerms terms) =>
        new SortedDictionary<string, double>(terms.Terms.ToDictionary(kv => kv.Key, kv => kv.Value)) { ["total"] = terms.Total };

    /// <summary>Writes the JSON to <paramref name="path"/> (through a symbolic link), creating the folder.</summary>
    public void Write(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, JsonSerializer.Serialize(this, Json));
    }
}

/// <summary>One iteration of a run: which scale (0-based), iterations and evaluations done there, seconds since the optimisation started, loss terms and total.</summary>
internal sealed record MetricsIteration(int Scale, int Iteration, int Evaluations, double Seconds, IReadOnlyDictionary<string, double> Loss);
