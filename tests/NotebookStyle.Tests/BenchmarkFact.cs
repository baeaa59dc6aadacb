namespace NotebookStyle.Tests;

/// <summary>
/// A test that belongs to the benchmark: too slow for CI on two CPU cores, run with NOTEBOOKSTYLE_BENCHMARK=1
/// (e.g. <c>NOTEBOOKSTYLE_BENCHMARK=1 dotnet test --filter Category=Benchmark</c>).
/// </summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    /// <summary>The variable that turns benchmark tests on.</summary>
    public const string Variable = "NOTEBOOKSTYLE_BENCHMARK";

    /// <summary>Skips unless <see cref="Variable"/> is 1.</summary>
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") Skip = $"benchmark: set {Variable}=1 to run";
    }
}
