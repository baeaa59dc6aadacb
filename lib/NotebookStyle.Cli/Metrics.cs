using System.Text.Json;
using NotebookStyle.Losses;

namespace NotebookStyle.Cli;

/// <summary>What <c>--metrics</c> writes: the run's settings and the initial and final value of each loss term.</summary>
internal sealed record Metrics(
    string Content, string Style, string Output, string Network, string Weights, string Device, int Threads, string Preset, string Color, double StyleScale, int Scales,
    int Width, int Height, string Optimizer, string Init, long Seed, int Iterations, int Evaluations,
    double OptimisationSeconds, double LoadSeconds, string StopReason,
    IReadOnlyDictionary<string, double> Initial, IReadOnlyDictionary<string, double> Final)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static IReadOnlyDictionary<string, double> Terms(LossTerms t) =>
        new SortedDictionary<string, double>(t.Terms.ToDictionary(kv => kv.Key, kv => kv.Value)) { ["total"] = t.Total };

    public void Write(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, JsonSerializer.Serialize(this, Json));
    }
}
