using System.Diagnostics;
using System.Text.Json;
using NotebookStyle.Tests.Fuzzing;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// <c>fuzz</c>: the long run of the image-loader fuzzer (the unit test runs 15,000 inputs of the same kind). Prints the
/// outcome counts and writes them as JSON (<c>--json</c>); <c>--keep DIR</c> saves each unexpected input, <c>--only 5,17</c>
/// replays chosen inputs of the sequence. Exit code 1 when any outcome was unexpected (an exception outside the
/// loader's named ones, or a hang).
/// </summary>
internal static class FuzzRun
{
    public static int Run(Arguments a)
    {
        int inputs = a.Int("inputs", 100_000), seed = a.Int("seed", 1);
        var fuzzer = new LoaderFuzzer(seed, TimeSpan.FromSeconds(a.Int("hang-seconds", 10)));
        var clock = Stopwatch.StartNew();
        var only = a.List("only", "").Select(int.Parse).ToHashSet();
        string keepIn = a.Text("keep", "");
        if (keepIn.Length > 0) Directory.CreateDirectory(keepIn);
        fuzzer.Run(inputs, TimeSpan.FromMinutes(a.Int("minutes", 120)), new Progress<int>(n => Console.Error.WriteLine($"{n} inputs, {clock.Elapsed.TotalSeconds:F0} s")),
            only.Count > 0 ? only.Contains : null,
            keepIn.Length > 0 ? (i, bytes) => File.WriteAllBytes(Path.Combine(keepIn, $"seed{seed}-input{i}.bin"), bytes) : null);
        var report = new
        {
            seed,
            inputs = fuzzer.Inputs,
            seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            slowest_ms = Math.Round(fuzzer.Slowest.TotalMilliseconds, 1),
            outcomes = fuzzer.Outcomes,
            mutations = fuzzer.Kinds,
            unexpected = fuzzer.Unexpected,
        };
        string json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (a.Text("json", "") is { Length: > 0 } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, json);
        }
        return fuzzer.Unexpected.Count == 0 ? 0 : 1;
    }
}
