using System.CommandLine;
using NotebookStyle.Notebooks;
using NotebookStyle.Provisioning;
using NotebookStyle.Weights;

namespace NotebookStyle.Cli;

/// <summary>
/// <c>nstyle workshop DIR [--source NAME ...] [--no-packages]</c>: gathers the weights, the catalogue paintings and the
/// kernel's NuGet packages into DIR (<see cref="Workshop"/>), verifies them and prints how to point the notebooks at it.
/// </summary>
internal static class WorkshopCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("DIR") { Description = "The workshop folder (created if needed; running again verifies and completes it)." };
        var sources = new Option<string[]>("--source")
        {
            Description = "Weights to gather (repeatable): vgg19-keras (default), vgg19-torchvision, vgg19-caffe-pth or a source from NOTEBOOKSTYLE_SOURCES.",
            AllowMultipleArgumentsPerToken = true,
        };
        var noPackages = new Option<bool>("--no-packages") { Description = "Skip the NuGet packages (weights and paintings only)." };
        var backend = OptionWords.Backend.Option("--backend", "The TorchSharp build the class's kernels load: cpu or cuda.", NotebookBackend.Cpu);
        OptionParsers.Path(folder, "DIR", "a folder");
        var catalog = new Option<string?>("--catalog") { Description = "The image catalogue (default: the repository's images/catalog.json)." };

        var command = new Command("workshop", "Gather VGG19 weights, the catalogue's paintings and the kernel's NuGet packages into one verified folder for offline use.");
        command.Arguments.Add(folder);
        foreach (var option in new Option[] { sources, noPackages, backend, catalog }) command.Options.Add(option);
        catalog.CustomParser = r => r.Tokens.Count == 1 && !string.IsNullOrWhiteSpace(r.Tokens[0].Value) ? r.Tokens[0].Value : Empty(r, "--catalog");
        command.SetAction(parse =>
        {
            // A signal ends the command at once, in one line: what is verified stays, and running it again completes it.
            using var signals = new StopSignals(stderr, "during the workshop; the folder keeps what was verified: run the same command again to complete it");
            var names = parse.GetValue(sources) is { Length: > 0 } given ? given : [WeightSource.Default.Name];
            var settings = new WorkshopSettings
            {
                Folder = Path.GetFullPath(parse.GetValue(folder)!),
                Sources = names.Select(n => WeightSource.FindKnown(n) ?? throw new NotebookStyleException(
                    $"Unknown weights '{n}': known are {string.Join(", ", WeightSource.Available().Select(s => s.Name))} " +
                    $"(add your own with {WeightSourcesFile.EnvironmentVariable}=FILE.json).")).ToList(),
                IncludePackages = !parse.GetValue(noPackages),
                Backend = parse.GetValue(backend),
                CatalogPath = parse.GetValue(catalog) is { } catalogPath ? Path.GetFullPath(catalogPath) : null,
            };
            if (settings.CatalogPath is { } file && !File.Exists(file))
                throw new NotebookStyleException(Directory.Exists(file) ? $"--catalog {file} is a folder; give the catalogue's JSON file." : $"--catalog {file} not found.");
            var report = Workshop.Prepare(settings, line => stderr.WriteLine(line), new DownloadReporter(stderr));
            stdout.WriteLine(report.Instructions);
            return 0;
        });
        return command;
    }

    private static string? Empty(System.CommandLine.Parsing.ArgumentResult r, string name)
    {
        r.AddError($"{name} is empty; give a file name.");
        return null;
    }
}
