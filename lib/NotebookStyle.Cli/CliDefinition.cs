using System.CommandLine;
using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;

namespace NotebookStyle.Cli;

/// <summary>
/// The options of <c>nstyle</c>, each declared once with its default and its check (a range, a path, or the words of a
/// library type, <see cref="OptionWords"/>), and <see cref="Request"/>, which reads them into the library's types.
/// A new knob is a setting in the library, an option here and one line in <see cref="Request"/>.
/// </summary>
internal sealed class CliDefinition
{
    private readonly TextWriter _stdout, _stderr;

    public Option<string> Content { get; } = OptionParsers.RequiredPath(new Option<string>("--content", "-c") { Description = "Content image (JPEG, PNG or WebP); a pipe works, - reads standard input.", Required = true });
    public Option<string> Style { get; } = OptionParsers.RequiredPath(new Option<string>("--style", "-s") { Description = "Style image (JPEG, PNG or WebP); a pipe works, - reads standard input.", Required = true });
    public Option<string> Output { get; } = OptionParsers.RequiredPath(new Option<string>("--output", "-o") { Description = "Where to write the result: .png (PNG) or .jpg/.jpeg (JPEG); a symbolic link writes the file it points to.", Required = true });
    public Option<int> JpegQuality { get; } = OptionParsers.Integer(new Option<int>("--jpeg-quality") { Description = "JPEG quality, 1–100, for an --output ending in .jpg or .jpeg.", DefaultValueFactory = _ => NotebookStyle.Imaging.ImageWriter.DefaultJpegQuality }, v => v is >= 1 and <= 100, "an integer from 1 to 100");
    public Option<int> Size { get; } = OptionParsers.Integer(new Option<int>("--size") { Description = "Long side of the result in pixels.", DefaultValueFactory = _ => 512 }, v => v is >= 16 and <= 8192, "an integer from 16 to 8192");
    public Option<Chosen<StylePreset>> Preset { get; } = OptionWords.Preset.Option("--preset", "default, strong (more of the painting) or subtle (more of the photo): the network's measured settings that other options override.", StylePreset.Default);
    public Option<double?> StyleScale { get; } = OptionParsers.Number(new Option<double?>("--style-scale") { Description = "Style image's long side relative to the result's; larger gives larger strokes (default: the preset's)." }, v => v is > 0 and <= 8, "a finite number in (0, 8]");
    public Option<double?> HistogramStrength { get; } = OptionParsers.Number(new Option<double?>("--histogram-strength") { Description = "With --color histogram: 1 the full colour-histogram match, 0 mean and covariance only (default: the preset's)." }, v => v is >= 0 and <= 1, "a finite number in [0, 1]");
    public Option<int> Iterations { get; } = OptionParsers.Integer(new Option<int>("--iterations", "-n") { Description = "Optimiser iterations.", DefaultValueFactory = _ => 200 }, v => v >= 1, "a positive integer");
    public Option<int?> MaxEvaluations { get; } = OptionParsers.Integer(new Option<int?>("--max-evaluations") { Description = "Stop after this many loss-and-gradient evaluations." }, v => v >= 1, "a positive integer");
    public Option<Chosen<OptimizerKind>> Optimizer { get; } = OptionWords.Optimizer.Option("--optimizer", "lbfgs (strong-Wolfe line search) or adam.", OptimizerKind.Lbfgs);
    public Option<Chosen<InitKind>> Init { get; } = OptionWords.Init.Option("--init", "Start from the content image, seeded noise or the style image.", InitKind.Content);
    public Option<double?> ContentWeight { get; } = OptionParsers.Number(new Option<double?>("--content-weight") { Description = "Weight of the content loss (default: the network's)." }, v => v >= 0, "a finite number ≥ 0");
    public Option<double?> StyleWeight { get; } = OptionParsers.Number(new Option<double?>("--style-weight") { Description = "Weight of the style loss (default: the network's)." }, v => v >= 0, "a finite number ≥ 0");
    public Option<double?> TvWeight { get; } = OptionParsers.Number(new Option<double?>("--tv-weight") { Description = "Weight of the total-variation loss (default: the network's)." }, v => v >= 0, "a finite number ≥ 0");
    public Option<double> TvPower { get; } = OptionParsers.Number(new Option<double>("--tv-power") { Description = "Exponent of the total variation, above 0 (1.25 the Keras example's, 1 squared TV).", DefaultValueFactory = _ => 1.25 }, v => v > 0, "a finite number > 0");
    public Option<double> LearningRate { get; } = OptionParsers.Number(new Option<double>("--lr") { Description = "Adam's learning rate (image in [0, 1]).", DefaultValueFactory = _ => 0.02 }, v => v > 0, "a finite number > 0");
    public Option<Chosen<NetworkChoice>> Network { get; } = OptionWords.Network.Option("--network", "auto, vgg19 or resnet18.", NetworkChoice.Auto);
    public Option<string?> Weights { get; } = OptionParsers.Path(new Option<string?>("--weights") { Description = "A local VGG19 weights file (.h5, .pth, .safetensors)." });
    public Option<Chosen<Preprocessing?>> WeightsPreprocessing { get; } = OptionWords.WeightsPreprocessing.Option("--weights-preprocessing", "Preprocessing of a --weights file whose name does not tell: caffe or torchvision.");
    public Option<long?> RandomWeights { get; } = OptionParsers.Long(new Option<long?>("--random-weights") { Description = "Use VGG19 with random weights from this seed (tests only)." });
    public Option<Chosen<Pooling>> Pooling { get; } = OptionWords.Pooling.Option("--pooling", "VGG19 pooling: max or avg.", Models.Pooling.Max);
    public Option<long> Seed { get; } = OptionParsers.Long(new Option<long>("--seed") { Description = "Seed for noise and torch.", DefaultValueFactory = _ => 0L });
    public Option<Chosen<DeviceChoice>> Device { get; } = OptionWords.Device.Option("--device", "auto, cpu or cuda.", DeviceChoice.Auto);
    public Option<int> Threads { get; } = OptionParsers.Integer(new Option<int>("--threads") { Description = "CPU threads for torch (0: torch's default); more than the machine's processors is lowered to their number.", DefaultValueFactory = _ => 0 }, v => v >= 0, "0 or a positive integer");
    public Option<string?> MetricsFile { get; } = OptionParsers.Path(new Option<string?>("--metrics") { Description = "Write the run's metrics as JSON here (not the --output file)." });
    public Option<Chosen<ColorMode?>> Color { get; } = OptionWords.Color.Option("--color", "Colour handling: none, palette (the painting's colour mean and covariance), histogram (its whole colour distribution) or preserve (the photo's colours); default: the preset's.");
    public Option<int?> Scales { get; } = OptionParsers.Integer(new Option<int?>("--scales") { Description = "Coarse-to-fine scales (1: single scale; default: one up to 1024 px, above it the poster schedule 512 → 1024 → … → --size, --iterations at 512 px and fewer at each larger scale)." }, v => v is >= 1 and <= 6, "an integer from 1 to 6");
    public Option<int> BitDepth { get; } = OptionParsers.Integer(new Option<int>("--bit-depth") { Description = "Bits per channel of a PNG --output: 8, or 16 for prints.", DefaultValueFactory = _ => 8 }, v => v is 8 or 16, "8 or 16");
    public Option<int?> CoarseIterations { get; } = OptionParsers.Integer(new Option<int?>("--coarse-iterations") { Description = "Iterations at each coarser scale (default: --iterations)." }, v => v >= 1, "a positive integer");
    public ControlOptions Control { get; } = new();
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress output." };

    public Option<string> FetchSource { get; } = new("--source") { Description = "Which weights: vgg19-keras (default), vgg19-torchvision, vgg19-caffe-pth or a source from NOTEBOOKSTYLE_SOURCES.", DefaultValueFactory = _ => "vgg19-keras" };

    public TilingOptions Tiling { get; } = new();

    public RootCommand Root { get; }

    public CliDefinition(TextWriter stdout, TextWriter stderr)
    {
        _stdout = stdout;
        _stderr = stderr;
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
