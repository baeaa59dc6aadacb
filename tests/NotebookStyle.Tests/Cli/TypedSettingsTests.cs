using System.CommandLine;
using NotebookStyle.Backend;
using NotebookStyle.Cli;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests.Cli;

/// <summary>
/// Settings are typed from the command line to the driver: every choice option's words map onto the library's own
/// values both ways (each enum value has one word, each word one value), an unknown word is refused with the words
/// there are, and a command line becomes the driver's <see cref="StyleTransferSettings"/> and the network's
/// <see cref="NetworkOptions"/> with no string left to compare.
/// </summary>
public class TypedSettingsTests
{
    private static readonly CliDefinition Cli = new(TextWriter.Null, TextWriter.Null);

    private static readonly string[] Required = ["--content", "c.jpg", "--style", "s.jpg", "--output", "o.png"];

    private static IReadOnlyList<IChoiceOption> ChoiceOptions => [.. Choices.Options(Cli.Root).OfType<IChoiceOption>()];

    private static StylizeRequest Request(params string[] args)
    {
        var parse = Cli.Root.Parse([.. Required, .. args]);
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return Cli.Request(parse);
    }

    [Fact]
    public void EveryChoiceOptionOfTheCliIsTyped()
    {
        // Every option that takes one word of a fixed set is a choice option (no Option<string> with a list of words).
        Assert.Equal(["--backend", "--color", "--device", "--init", "--network", "--optimizer", "--pooling", "--preset", "--style-loss", "--weights-preprocessing"],
            ChoiceOptions.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Choices.Options(Cli.Root), o => o is Option<string> && o.CompletionSources.Count > 0 && o.Name != "--help");
    }

    [Fact]
    public void EveryEnumValueHasOneWordAndEveryWordParsesToItsValue()
    {
        foreach (var option in ChoiceOptions)
        {
            var words = option.Words;
            Assert.Equal(words.Count, words.Select(w => w.Word).Distinct().Count());
            Assert.Equal(words.Count, words.Select(w => w.Value).Distinct().Count());
            if ((Nullable.GetUnderlyingType(option.ChoiceType) ?? option.ChoiceType) is { IsEnum: true } type)
                // Both ways: the words cover the enum exactly.
                Assert.Equal(Enum.GetValues(type).Cast<object>().Order(), words.Select(w => w.Value!).Order());
            foreach (var (word, value) in words)
            {
                var parse = Cli.Root.Parse(option.Name == "--backend" ? ["workshop", "dir", "--backend", word] : [.. Required, option.Name, word]);
                Assert.Empty(parse.Errors);
                var result = parse.GetResult((Option)option)!;
                Assert.Equal(value, Value(result.GetValueOrDefault<object>()));
            }
        }
    }

    // A choice option's value is the library value and the word that chose it.
    private static object? Value(object? chosen) => chosen?.GetType().GetProperty("Value")!.GetValue(chosen);

    [Fact]
    public void TheWordsAreTheOnesUsersType()
    {
        Assert.Equal("avg", OptionWords.Pooling.WordFor(Pooling.Average));
        Assert.Equal("resnet18", OptionWords.Network.WordFor(NetworkChoice.ResNet18));
        Assert.Equal("lbfgs", OptionWords.Optimizer.WordFor(OptimizerKind.Lbfgs));
        Assert.Equal("cuda", OptionWords.Backend.WordFor(NotebookBackend.Cuda));
        // The preprocessing words are the library's own names for them.
        Assert.All(OptionWords.WeightsPreprocessing.Words, w => Assert.Same(Preprocessing.Parse(w.Word), w.Value));
        Assert.False(OptionWords.Optimizer.TryParse("Adam", out _)); // exactly as listed, as before
    }

    [Theory]
    [InlineData("--optimizer", "sgd", "'lbfgs' 'adam'")]
    [InlineData("--pooling", "average", "'max' 'avg'")]
    [InlineData("--color", "sepia", "'none' 'palette' 'histogram' 'preserve'")]
    [InlineData("--weights-preprocessing", "cntk", "'caffe' 'torchvision'")]
    [InlineData("--style-loss", "sinkhorn", "'gram' 'wasserstein'")]
    public void AnUnknownWordIsRefusedWithTheWordsThereAre(string option, string word, string listed)
    {
        var (code, _, err) = InProcessCli.Run([.. Required, option, word]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"error: Argument '{word}' not recognized. Must be one of: {listed} (see --help)", err.Trim());
    }

    [Fact]
    public void AnUnknownBackendIsRefusedLikewise()
    {
        var (code, _, err) = InProcessCli.Run("workshop", "dir", "--backend", "rocm");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: Argument 'rocm' not recognized. Must be one of: 'cpu' 'cuda' (see --help)", err.Trim());
    }

    [Fact]
    public void TheHelpListsTheWordsAndShowsTheDefaultsAsWords()
    {
        var help = new StringWriter();
        Assert.Equal(0, CliApp.Run(["--help"], help, TextWriter.Null));
        string text = help.ToString();
        Assert.Matches(@"--optimizer <adam\|lbfgs>\s+lbfgs \(strong-Wolfe line search\) or adam\. \[default: lbfgs\]", text);
        Assert.Matches(@"--pooling <avg\|max>\s+VGG19 pooling: max or avg\. \[default: max\]", text);
        Assert.Matches(@"--network <auto\|resnet18\|vgg19>\s+auto, vgg19 or resnet18\. \[default: auto\]", text);
        Assert.Matches(@"--color <histogram\|none\|palette\|preserve>\s+Colour handling", text);
        Assert.DoesNotContain("default: Lbfgs", text);
    }

    [Fact]
    public void ACommandLineBecomesTheDriversSettings()
    {
        var request = Request("--preset", "strong", "--style-scale", "1.5", "--histogram-strength", "0.25", "-n", "30", "--max-evaluations", "90",
            "--optimizer", "adam", "--init", "noise", "--content-weight", "2", "--style-weight", "3e4", "--tv-weight", "0", "--tv-power", "1",
            "--lr", "0.05", "--seed", "-7", "--color", "histogram", "--scales", "2", "--coarse-iterations", "5", "--style-loss", "wasserstein",
            "--tile", "64", "--memory-budget", "1.5",
            "--network", "vgg19", "--pooling", "avg", "--weights", "w.pth", "--weights-preprocessing", "torchvision", "--random-weights", "11",
            "--device", "cpu", "--threads", "3");

        Assert.Equal(new StyleTransferSettings
        {
            Preset = StylePreset.Strong,
            StyleScale = 1.5,
            HistogramStrength = 0.25,
            Iterations = 30,
            MaxEvaluations = 90,
            Optimizer = OptimizerKind.Adam,
            Init = InitKind.Noise,
            ContentWeight = 2,
            StyleWeight = 3e4,
            TvWeight = 0,
            TvPower = 1,
            AdamLearningRate = 0.05,
            Seed = -7,
            Color = ColorMode.Histogram,
            Scales = 2,
            CoarseIterations = 5,
            StyleLoss = StyleLossKind.Wasserstein,
            Tiling = new TilingSettings(64, 1_500_000_000),
        }, request.Settings);
        Assert.Equal(new NetworkOptions { Pooling = Pooling.Average, WeightsPath = "w.pth", WeightsPreprocessing = Preprocessing.Torchvision, RandomSeed = 11 },
            request.NetworkOptions);
        Assert.Equal(NetworkChoice.Vgg19, request.Network);
        Assert.Equal(DeviceChoice.Cpu, request.Device);
        Assert.Equal(3, request.Threads);
    }

    [Fact]
    public void TheDefaultsAreTheLibrarysValues()
    {
        var request = Request();
        Assert.Equal(new StyleTransferSettings { Iterations = 200 }, request.Settings); // the CLI's one different default
        Assert.Equal(new NetworkOptions(), request.NetworkOptions);
        Assert.Equal(NetworkChoice.Auto, request.Network);
        Assert.Equal(DeviceChoice.Auto, request.Device);
        Assert.Null(request.Settings.Color); // the preset's
        Assert.Null(request.NetworkOptions.WeightsPreprocessing);
    }
}
