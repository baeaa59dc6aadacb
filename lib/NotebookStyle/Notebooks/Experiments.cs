using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using NotebookStyle.Visualization;
using NotebookStyle.Weights;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// One variant of a run: its label and settings, optionally another network or image size, and optionally a blend of
/// styles or styles per region instead of the one style the set runs with.
/// </summary>
/// <param name="Label">Shown under the result.</param>
/// <param name="Settings">The run's settings.</param>
public sealed record Experiment(string Label, StyleTransferSettings Settings)
{
    /// <summary>Another network for this run (null: the set's).</summary>
    public FeatureExtractor? Network { get; init; }

    /// <summary>Long side of content and style for this run (null: as given).</summary>
    public int? Size { get; init; }

    /// <summary>A blend of styles instead of the set's one style (<see cref="StyleTransfer.Run(FeatureExtractor, Tensor, IReadOnlyList{WeightedStyle}, StyleTransferSettings?, Action{StyleTransferProgress}?, CancellationToken, Tensor?)"/>).</summary>
    public IReadOnlyList<WeightedStyle>? Styles { get; init; }

    /// <summary>Styles per region, in space or in scale, instead of the set's one style; takes precedence over <see cref="Styles"/>.</summary>
    public IReadOnlyList<StyleRegion>? Regions { get; init; }

    /// <summary>
    /// Figures of this variant's own, measured on its result and the content it ran on (e.g. the colour ratio to each
    /// painting of a blend, or per region); printed under its line and kept in <see cref="ExperimentResult.Figures"/>.
    /// </summary>
    public Func<Tensor, Tensor, IReadOnlyList<ExperimentFigure>>? Figures { get; init; }

    /// <summary>The style the generic figures compare with: the set's style, else the heaviest of the first region's or of the blend.</summary>
    internal Tensor? MainStyle(Tensor? setStyle) =>
        setStyle ?? (Regions ?? (Styles is null ? null : [new StyleRegion(null, Styles)]))?.FirstOrDefault()?.Styles.MaxBy(s => s.Weight)?.Image;
}

/// <summary>One figure of a result, e.g. the colour ratio to one painting inside one region.</summary>
/// <param name="Group">What it belongs to (a region, or "colour ratio"); figures of one group are printed on one line.</param>
/// <param name="Name">What it is, e.g. "to starry_night" or "SSIM".</param>
/// <param name="Value">Its value.</param>
public sealed record ExperimentFigure(string Group, string Name, double Value);

/// <summary>A titled group of experiments and anything the reader should know (e.g. why one was left out).</summary>
/// <param name="Title">What varies.</param>
/// <param name="Experiments">The variants.</param>
/// <param name="Notices">Messages to show.</param>
public sealed record ExperimentSet(string Title, IReadOnlyList<Experiment> Experiments, IReadOnlyList<string> Notices);

/// <summary>One finished variant.</summary>
/// <param name="Experiment">The variant.</param>
/// <param name="Image">Its result (RGB [0, 1], CPU).</param>
/// <param name="Final">Its final loss terms.</param>
/// <param name="Elapsed">Its optimisation time.</param>
/// <param name="Quality">Colour ratio and SSIM against the images it came from, and its final losses.</param>
public sealed record ExperimentResult(Experiment Experiment, Tensor Image, LossTerms Final, TimeSpan Elapsed, QualityFigures Quality)
{
    /// <summary>The variant's own figures (<see cref="Experiment.Figures"/>), empty when it has none.</summary>
    public IReadOnlyList<ExperimentFigure> Figures { get; init; } = [];

    /// <summary>The figure <paramref name="name"/> of <paramref name="group"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such figure.</exception>
    public double Figure(string group, string name) =>
        Figures.FirstOrDefault(f => f.Group == group && f.Name == name)?.Value
        ?? throw new KeyNotFoundException($"No figure '{name}' of '{group}'; there are {string.Join(", ", Figures.Select(f => $"{f.Group}/{f.Name}"))}.");
}

/// <summary>The finished set: results in order, shown as one sheet.</summary>
/// <param name="Title">What varied.</param>
/// <param name="Results">One per variant.</param>
/// <param name="Notices">Messages to show.</param>
public sealed record ExperimentOutcome(string Title, IReadOnlyList<ExperimentResult> Results, IReadOnlyList<string> Notices) : IDisposable
{
    /// <summary>The results side by side, captioned with their labels (and the content and style first, when given).</summary>
    public Image<Rgb24> Sheet(int height = 160, Tensor? content = null, Tensor? style = null)
    {
        var panels = new List<(string, Tensor)>();
        if (content is not null) panels.Add(("content", content));
        if (style is not null) panels.Add(("style", style));
        return Sheet(panels, null, height);
    }

    /// <summary>The results side by side between other pictures, e.g. the two paintings of a blend at either end.</summary>
    /// <param name="before">Captioned pictures left of the results.</param>
    /// <param name="after">Captioned pictures right of the results (null: none).</param>
    /// <param name="height">Height of each picture.</param>
    public Image<Rgb24> Sheet(IEnumerable<(string Caption, Tensor Image)> before, IEnumerable<(string Caption, Tensor Image)>? after = null, int height = 160) =>
        ImageSheet.Row(before.Concat(Results.Select(r => (r.Experiment.Label, r.Image))).Concat(after ?? []), height, Title);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var r in Results) r.Image.Dispose();
    }
}

/// <summary>The experiments of lesson 05: what goes wrong and why, as rows of results.</summary>
public static class Experiments
{
    /// <summary>Runs every variant of <paramref name="set"/>, printing one line per run (and one per group of its own figures).</summary>
    /// <param name="set">The variants.</param>
    /// <param name="network">The network (unless a variant brings its own).</param>
    /// <param name="content">The photo.</param>
    /// <param name="style">
    /// The painting; may be null when every variant carries its <see cref="Experiment.Styles"/> or
    /// <see cref="Experiment.Regions"/> (the generic colour ratio is then to the heaviest style of the first).
    /// </param>
    /// <param name="log">Where the lines go (default: the cell's output).</param>
    /// <exception cref="NotebookStyleException">No style given for a variant without styles of its own.</exception>
    public static ExperimentOutcome Run(ExperimentSet set, FeatureExtractor network, Tensor content, Tensor? style, Action<string>? log = null)
    {
        log ??= Console.WriteLine;
        foreach (var n in set.Notices) log($"Note: {n}");
        var results = new List<ExperimentResult>();
        foreach (var e in set.Experiments)
        {
            var net = e.Network ?? network;
            using var scope = NewDisposeScope();
            var c = e.Size is int s ? Resize(content, s) : content;
            var st = style is not null && e.Size is int s2 ? Resize(style, s2) : style;
            var main = e.MainStyle(st) ?? throw new NotebookStyleException($"'{e.Label}' has no styles of its own and the set was run without a style.");
            using var r = e.Regions is { } regions ? StyleTransfer.Run(net, c, regions, e.Settings)
                : e.Styles is { } styles ? StyleTransfer.Run(net, c, styles, e.Settings)
                : StyleTransfer.Run(net, c, main, e.Settings);
            var q = QualityFigures.Measure(r, c, main);
            var figures = e.Figures?.Invoke(r.Image, c) ?? [];
            // A variant with figures of its own says which painting its colour ratios are to; the generic one would not.
            string colour = e.Figures is null ? $"colour ratio {q.ColorRatio:F2}, " : "";
            log($"{set.Title} / {e.Label}: {r.Iterations} iterations, {r.Evaluations} evaluations, total loss {r.Final.Total:G4}, " +
                $"{colour}SSIM {q.Ssim:F2}, {r.Elapsed.TotalSeconds:F1} s");
            foreach (var group in figures.GroupBy(f => f.Group))
                log($"    {group.Key}: {string.Join(", ", group.Select(f => $"{f.Name} {f.Value:F2}"))}");
            results.Add(new ExperimentResult(e, r.Image.clone().DetachFromDisposeScope(), r.Final, r.Elapsed, q) { Figures = figures });
        }
        return new ExperimentOutcome(set.Title, results, set.Notices);
    }

    /// <summary>Runs a set whose variants all carry their own styles or regions (see <see cref="Experiment.Styles"/>, <see cref="Experiment.Regions"/>).</summary>
    public static ExperimentOutcome Run(ExperimentSet set, FeatureExtractor network, Tensor content, Action<string>? log = null) =>
        Run(set, network, content, null, log);

    /// <summary>Style from the shallowest style layers only, the deepest only, and all (the network's defaults).</summary>
    public static ExperimentSet StyleLayers(FeatureExtractor network, StyleTransferSettings baseline)
    {
        var layers = baseline.Layers ?? network.DefaultsFor(baseline.Preset).Layers;
        var style = layers.Where(l => l.StyleWeight != 0).ToList();
        var content = layers.Where(l => l.StyleWeight == 0).ToList();
        int half = Math.Max(1, style.Count / 2);
        List<LayerWeights> Only(IEnumerable<LayerWeights> s) => [.. s, .. content];
        return new("Style layers", [
            new($"shallow: {string.Join("+", style.Take(half).Select(l => l.Layer))}", baseline with { Layers = Only(style.Take(half)) }),
            new($"deep: {string.Join("+", style.Skip(style.Count - half).Select(l => l.Layer))}", baseline with { Layers = Only(style.Skip(style.Count - half)) }),
            new("all style layers", baseline with { Layers = layers }),
        ], []);
    }

    /// <summary>The style weight multiplied by each factor (the content weight stays): too little style, balanced, too much.</summary>
    public static ExperimentSet StyleWeights(FeatureExtractor network, StyleTransferSettings baseline, params double[] factors)
    {
        double w = baseline.StyleWeight ?? network.DefaultsFor(baseline.Preset).StyleWeight;
        if (factors.Length == 0) factors = [0.01, 1, 100];
        return new("Style : content weight", factors.Select(f => new Experiment($"style x{Labels.Number(f)}", baseline with { StyleWeight = w * f })).ToList(), []);
    }

    /// <summary>Start from the content image, from noise, from the style image.</summary>
    public static ExperimentSet Inits(StyleTransferSettings baseline) =>
        new("Initial image", [
            new("init: content", baseline with { Init = InitKind.Content }),
            new("init: noise", baseline with { Init = InitKind.Noise }),
            new("init: style", baseline with { Init = InitKind.Style }),
        ], []);

    /// <summary>Colour handling: plain Gatys, the painting's palette (mean and covariance, then its whole histogram), the photo's colours.</summary>
    public static ExperimentSet Colors(StyleTransferSettings baseline) =>
        new("Colour", [
            new("none", baseline with { Color = ColorMode.None }),
            new("palette", baseline with { Color = ColorMode.Palette }),
            new("histogram", baseline with { Color = ColorMode.Histogram, HistogramStrength = 1.0 }),
            new("preserve", baseline with { Color = ColorMode.Preserve }),
        ], []);

    /// <summary>The network's three presets: subtle, default, strong.</summary>
    public static ExperimentSet Presets(StyleTransferSettings baseline) =>
        new("Presets", [
            new("subtle", baseline with { Preset = StylePreset.Subtle }),
            new("default", baseline with { Preset = StylePreset.Default }),
            new("strong", baseline with { Preset = StylePreset.Strong }),
        ], []);

    /// <summary>L-BFGS against Adam with the same budget of loss-and-gradient evaluations.</summary>
    public static ExperimentSet Optimizers(StyleTransferSettings baseline, int evaluations) =>
        new("Optimiser (same evaluations)", [
            new("L-BFGS", baseline with { Optimizer = OptimizerKind.Lbfgs, Iterations = evaluations, MaxEvaluations = evaluations }),
            new("Adam", baseline with { Optimizer = OptimizerKind.Adam, Iterations = evaluations, MaxEvaluations = evaluations }),
        ], []);

    /// <summary>
    /// VGG19 with max pooling against average pooling (the paper prefers average). Other networks have no such switch:
    /// the set is then empty with a notice saying why.
    /// </summary>
    public static ExperimentSet Pooling(FeatureExtractor network, StyleTransferSettings baseline, Device device)
    {
        if (network is not Vgg19)
            return new("Pooling", [], [$"Max vs average pooling is a VGG19 switch; this session's network is {network.NetworkName}, which has none."]);
        try
        {
            // The lessons' VGG19 weights (NOTEBOOKSTYLE_WEIGHTS, the cache or a download), with each pooling.
            var lesson = LessonNetwork.FromEnvironment();
            var max = Networks.Load(NetworkChoice.Vgg19, device, lesson.Options() with { Pooling = Models.Pooling.Max });
            var avg = Networks.Load(NetworkChoice.Vgg19, device, lesson.Options() with { Pooling = Models.Pooling.Average });
            return new("Pooling", [
                new("max pooling", baseline) { Network = max.Network },
                new("average pooling", baseline) { Network = avg.Network },
            ], max.Notices.Concat(avg.Notices).Distinct().ToList());
        }
        catch (NotebookStyleException ex)
        {
            return new("Pooling", [], [$"VGG19 could not be loaded for the pooling experiment: {ex.Message}"]);
        }
    }

    private static Tensor Resize(Tensor image, int longSide)
    {
        long h = image.shape[2], w = image.shape[3];
        double scale = (double)longSide / Math.Max(h, w);
        long nh = Math.Max(1, (long)Math.Round(h * scale)), nw = Math.Max(1, (long)Math.Round(w * scale));
        return nn.functional.interpolate(image, [nh, nw], mode: InterpolationMode.Bilinear, align_corners: false, antialias: scale < 1).clamp(0, 1);
    }
}
