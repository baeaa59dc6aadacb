using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace NotebookStyle.NotebookRunner;

/// <summary>One lesson's outcome in a run.</summary>
/// <param name="Notebook">File name.</param>
/// <param name="Passed">Whether it ran cleanly.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Pictures">Pictures it produced.</param>
public sealed record LessonRun(string Notebook, bool Passed, double Seconds, int Pictures);

/// <summary>
/// What a run of the course was made with, written as OUT/run.json beside the executed notebooks, so that a rendered
/// copy can say which network, weights, sizes and machine produced it.
/// </summary>
/// <param name="Date">When the run ended (UTC, ISO 8601).</param>
/// <param name="Quick">Quick mode (small images, few iterations) or full.</param>
/// <param name="Network">NOTEBOOKSTYLE_NETWORK (auto when unset).</param>
/// <param name="Weights">NOTEBOOKSTYLE_WEIGHTS's file name, or null.</param>
/// <param name="Backend">NOTEBOOKSTYLE_BACKEND, or null (automatic).</param>
/// <param name="Machine">Operating system, processor count and architecture.</param>
/// <param name="Lessons">Each lesson's outcome.</param>
public sealed record RunRecord(string Date, bool Quick, string Network, string? Weights, string? Backend, string Machine, IReadOnlyList<LessonRun> Lessons)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The record of a run that just ended in this process's environment.</summary>
    public static RunRecord FromEnvironment(IReadOnlyList<LessonRun> lessons)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        bool quick = Env("NOTEBOOKSTYLE_QUICK")?.ToLowerInvariant() is "1" or "true" or "yes" or "on";
        return new RunRecord(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), quick,
            Env("NOTEBOOKSTYLE_NETWORK") ?? "auto", Env("NOTEBOOKSTYLE_WEIGHTS") is { } w ? Path.GetFileName(w) : null, Env("NOTEBOOKSTYLE_BACKEND"),
            $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSArchitecture}", lessons);
    }

    /// <summary>Writes OUT/run.json.</summary>
    public void Save(string outDir) => File.WriteAllText(Path.Combine(outDir, "run.json"), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads OUT/run.json, or null when the run left none.</summary>
    public static RunRecord? Load(string outDir)
    {
        string path = Path.Combine(outDir, "run.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>One sentence: network, weights, sizes, machine.</summary>
    public string Describe()
    {
        string network = Network == "auto" && Weights is null ? "the network `auto` chose (see the notices in each lesson)" : $"network `{Network}`";
        string weights = Weights is null ? "" : $", weights `{Weights}`";
        string mode = Quick ? "quick mode (NOTEBOOKSTYLE_QUICK=1: small images, few iterations)" : "full mode (the lessons' own sizes and budgets)";
        return $"Executed {Date[..10]} with {network}{weights}, in {mode}, backend {Backend ?? "auto"}, on {Machine}.";
    }
}
