using System.CommandLine;
using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;

namespace NotebookStyle.Cli;

/// <summary>The options of <c>notebookstyle</c>, with their defaults and allowed values.</summary>
internal sealed class CliDefinition
{
    private readonly TextWriter _stdout, _stderr;

    public Option<string> Content { get; } = new("--content", "-c") { Description = "Content image (JPEG, PNG or WebP); a pipe works, - reads standard input.", Required = true };
    public Option<string> Style { get; } = new("--style", "-s") { Description = "Style image (JPEG, PNG or WebP); a pipe works, - reads standard input.", Required = true };
    public Option<string> Output { get; } = new("--output", "-o") { Description = "Where to write the result: .png (PNG) or .jpg/.jpeg (JPEG); a symbolic link writes the file it points to.", Required = true };
    public Option<int> JpegQuality { get; } = new("--jpeg-quality") { Description = "JPEG quality, 1–100, for an --output ending in .jpg or .jpeg.", DefaultValueFactory = _ => NotebookStyle.Imaging.ImageWriter.DefaultJpegQuality };
    public Option<int> Size { get; } = new("--size") { Description = "Long side of the result in pixels.", DefaultValueFactory = _ => 512 };
    public Option<Chosen<StylePreset>> Preset { get; } = OptionWords.Preset.Option("--preset", "default, strong (more of the painting) or subtle (more of the photo): the network's measured settings that other options override.", StylePreset.Default);
    public Option<double?> StyleScale { get; } = new("--style-scale") { Description = "Style image's long side relative to the result's; larger gives larger strokes (default: the preset's)." };
    public Option<double?> HistogramStrength { get; } = new("--histogram-strength") { Description = "With --color histogram: 1 the full colour-histogram match, 0 mean and covariance only (default: the preset's)." };
    public Option<int> Iterations { get; } = new("--iterations", "-n") { Description = "Optimiser iterations.", DefaultValueFactory = _ => 200 };
    public Option<int?> MaxEvaluations { get; } = new("--max-evaluations") { Description = "Stop after this many loss-and-gradient evaluations." };
    public Option<Chosen<OptimizerKind>> Optimizer { get; } = OptionWords.Optimizer.Option("--optimizer", "lbfgs (strong-Wolfe line search) or adam.", OptimizerKind.Lbfgs);
    public Option<Chosen<InitKind>> Init { get; } = OptionWords.Init.Option("--init", "Start from the content image, seeded noise or the style image.", InitKind.Content);
    public Option<double?> ContentWeight { get; } = new("--content-weight") { Description = "Weight of the content loss (default: the network's)." };
    public Option<double?> StyleWeight { get; } = new("--style-weight") { Description = "Weight of the style loss (default: the network's)." };
    public Option<double?> TvWeight { get; } = new("--tv-weight") { Description = "Weight of the total-variation loss (default: the network's)." };
    public Option<double> TvPower { get; } = new("--tv-power") { Description = "Exponent of the total variation, above 0 (1.25 the Keras example's, 1 squared TV).", DefaultValueFactory = _ => 1.25 };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam's learning rate (image in [0, 1]).", DefaultValueFactory = _ => 0.02 };
    public Option<Chosen<NetworkChoice>> Network { get; } = OptionWords.Network.Option("--network", "auto, vgg19 or resnet18.", NetworkChoice.Auto);
    public Option<string?> Weights { get; } = new("--weights") { Description = "A local VGG19 weights file (.h5, .pth, .safetensors)." };
    public Option<Chosen<Preprocessing?>> WeightsPreprocessing { get; } = OptionWords.WeightsPreprocessing.Option("--weights-preprocessing", "Preprocessing of a --weights file whose name does not tell: caffe or torchvision.");
    public Option<long?> RandomWeights { get; } = new("--random-weights") { Description = "Use VGG19 with random weights from this seed (tests only)." };
    public Option<Chosen<Pooling>> Pooling { get; } = OptionWords.Pooling.Option("--pooling", "VGG19 pooling: max or avg.", Models.Pooling.Max);
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed for noise and torch.", DefaultValueFactory = _ => 0L };
    public Option<Chosen<DeviceChoice>> Device { get; } = OptionWords.Device.Option("--device", "auto, cpu or cuda.", DeviceChoice.Auto);
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads for torch (0: torch's default); more than the machine's processors is lowered to their number.", DefaultValueFactory = _ => 0 };
    public Option<string?> MetricsFile { get; } = new("--metrics") { Description = "Write the run's metrics as JSON here (not the --output file)." };
    public Option<Chosen<ColorMode?>> Color { get; } = OptionWords.Color.Option("--color", "Colour handling: none, palette (the painting's colour mean and covariance), histogram (its whole colour distribution) or preserve (the photo's colours); default: the preset's.");
    public Option<int?> Scales { get; } = new("--scales") { Description = "Coarse-to-fine scales (1: single scale; default: one up to 1024 px, above it the poster schedule 512 → 1024 → … → --size, --iterations at 512 px and fewer at each larger scale)." };
    public Option<int> BitDepth { get; } = new("--bit-depth") { Description = "Bits per channel of a PNG --output: 8, or 16 for prints.", DefaultValueFactory = _ => 8 };
    public Option<int?> CoarseIterations { get; } = new("--coarse-iterations") { Description = "Iterations at each coarser scale (default: --iterations)." };
    public ControlOptions Control { get; } = new();
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress output." };

    public Option<string> FetchSource { get; } = new("--source") { Description = "Which weights: vgg19-keras (default), vgg19-torchvision, vgg19-caffe-pth or a source from NOTEBOOKSTYLE_SOURCES.", DefaultValueFactory = _ => "vgg19-keras" };

    public TilingOptions Tiling { get; } = new();

    public RootCommand Root { get; }

    public CliDefinition(TextWriter stdout, TextWriter stderr)
    {
        _stdout = stdout;
        _stderr = stderr;
        OptionParsers.Integer(Scales, v => v is >= 1 and <= 6, "an integer from 1 to 6");
        OptionParsers.Integer(Size, v => v is >= 16 and <= 8192, "an integer from 16 to 8192");
        OptionParsers.Integer(Iterations, v => v >= 1, "a positive integer");
        OptionParsers.Integer(MaxEvaluations, v => v >= 1, "a positive integer");
        OptionParsers.Integer(CoarseIterations, v => v >= 1, "a positive integer");
        OptionParsers.Integer(Threads, v => v >= 0, "0 or a positive integer");
        OptionParsers.Integer(JpegQuality, v => v is >= 1 and <= 100, "an integer from 1 to 100");
        OptionParsers.Integer(BitDepth, v => v is 8 or 16, "8 or 16");
        OptionParsers.Number(StyleScale, v => v is > 0 and <= 8, "a finite number in (0, 8]");
        OptionParsers.Number(HistogramStrength, v => v is >= 0 and <= 1, "a finite number in [0, 1]");
        OptionParsers.Number(ContentWeight, v => v >= 0, "a finite number ≥ 0");
        OptionParsers.Number(StyleWeight, v => v >= 0, "a finite number ≥ 0");
        OptionParsers.Number(TvWeight, v => v >= 0, "a finite number ≥ 0");
        OptionParsers.Number(TvPower, v => v > 0, "a finite number > 0");
        OptionParsers.Number(LearningRate, v => v > 0, "a finite number > 0");
        OptionParsers.Long(Seed);
        OptionParsers.Long(RandomWeights);
        OptionParsers.RequiredPath(Content);
        OptionParsers.RequiredPath(Style);
        OptionParsers.RequiredPath(Output);
        OptionParsers.Path(Weights);
        OptionParsers.Path(MetricsFile);

        Root = new RootCommand("NotebookStyle: neural style transfer (Gatys, Ecker, Bethge) on TorchSharp.");
        foreach (var o in new Option[] { Content, Style, Output, JpegQuality, Size, Preset, StyleScale, HistogramStrength, Iterations, MaxEvaluations, Optimizer, Init, ContentWeight, StyleWeight,
                     TvWeight, TvPower, LearningRate, Network, Weights, WeightsPreprocessing, RandomWeights, Pooling, Seed, Device, Threads, MetricsFile, Color, Scales, CoarseIterations, BitDepth, Quiet })
            Root.Options.Add(o);
        foreach (var o in Control.All) Root.Options.Add(o);
        Tiling.AddTo(Root);
        Root.SetAction(parse => new StylizeCommand(Request(parse), _stdout, _stderr).Run());

        var fetch = new Command("fetch-weights", "Download and verify VGG19 weights into the cache (NOTEBOOKSTYLE_CACHE or ~/.cache/notebookstyle).");
        fetch.Options.Add(FetchSource);
        fetch.SetAction(parse => FetchWeightsCommand.Run(parse.GetValue(FetchSource)!, _stdout, _stderr));
        Root.Subcommands.Add(fetch);
        Root.Subcommands.Add(WorkshopCommand.Create(_stdout, _stderr));
    }

    /// <summary>
    /// The stylise command's values from <paramref name="parse"/>, typed once here: the driver's settings, the network's
    /// options and the device as the library's own records and enums, beside what only the CLI needs (files, output).
    /// </summary>
    public StylizeRequest Request(ParseResult parse) => new()
    {
        Content = parse.GetValue(Content)!,
        Style = parse.GetValue(Style)!,
        Control = Control.Read(parse),
        Output = parse.GetValue(Output)!,
        Metrics = parse.GetValue(MetricsFile),
        Size = parse.GetValue(Size),
        JpegQuality = parse.GetValue(JpegQuality),
        BitDepth = parse.GetValue(BitDepth),
        Quiet = parse.GetValue(Quiet),
        Device = parse.GetValue(Device),
        Threads = parse.GetValue(Threads),
        Network = parse.GetValue(Network),
        NetworkOptions = new NetworkOptions
        {
            Pooling = parse.GetValue(Pooling),
            WeightsPath = parse.GetValue(Weights),
            WeightsPreprocessing = parse.GetValue(WeightsPreprocessing),
            RandomSeed = parse.GetValue(RandomWeights),
        },
        Settings = new StyleTransferSettings
        {
            Preset = parse.GetValue(Preset),
            StyleScale = parse.GetValue(StyleScale),
            HistogramStrength = parse.GetValue(HistogramStrength),
            Iterations = parse.GetValue(Iterations),
            MaxEvaluations = parse.GetValue(MaxEvaluations),
            Optimizer = parse.GetValue(Optimizer),
            Init = parse.GetValue(Init),
            ContentWeight = parse.GetValue(ContentWeight),
            StyleWeight = parse.GetValue(StyleWeight),
            TvWeight = parse.GetValue(TvWeight),
            TvPower = parse.GetValue(TvPower),
            AdamLearningRate = parse.GetValue(LearningRate),
            Seed = parse.GetValue(Seed),
            Color = parse.GetValue(Color),
            Scales = parse.GetValue(Scales),
            CoarseIterations = parse.GetValue(CoarseIterations),
            StyleLoss = parse.GetValue(Control.StyleLoss),
            Tiling = Tiling.Read(parse),
        },
    };
}
