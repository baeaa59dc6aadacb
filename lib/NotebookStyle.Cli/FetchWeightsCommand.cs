using NotebookStyle.Weights;

namespace NotebookStyle.Cli;

/// <summary><c>nstyle fetch-weights</c>: puts a verified copy of known VGG19 weights into the cache.</summary>
internal static class FetchWeightsCommand
{
    public static int Run(string sourceName, TextWriter stdout, TextWriter stderr)
    {
        var source = WeightSource.FindKnown(sourceName) ?? throw new NotebookStyleException(
            $"Unknown weights '{sourceName}': known are {string.Join(", ", WeightSource.Available().Select(s => s.Name))} " +
            $"(add your own with {WeightSourcesFile.EnvironmentVariable}=FILE.json).");
        using var store = new WeightStore(notice: m => stderr.WriteLine($"notice: {m}"));
        string path = store.Fetch(source, new DownloadReporter(stderr));
        stdout.WriteLine($"{source.Name}: verified at {path}");
        return 0;
    }
}
