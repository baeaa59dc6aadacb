using System.Diagnostics;
using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// The driver: optimises an image's pixels so that its features match the content image's and its Gram
/// matrices match the style image's (Gatys, Ecker, Bethge 2016). Images are RGB [0, 1] tensors [1, 3, H, W];
/// the result has the content's size. The style image may have any size: it is resized to
/// <see cref="StyleTransferSettings.StyleScale"/> × the content's long side.
/// </summary>
public static class StyleTransfer
{
    /// <summary>Runs one style transfer (coarse-to-fine when <see cref="StyleTransferSettings.Scales"/> &gt; 1).</summary>
    /// <param name="network">The feature extractor (its device is used for everything).</param>
    /// <param name="content">The content image; the result has its size.</param>
    /// <param name="style">The style image (best at full resolution: it is resized to the style scale).</param>
    /// <param name="settings">The run's settings (null: defaults).</param>
    /// <param name="progress">Called after each iteration.</param>
    /// <param name="cancellationToken">Stops the run between evaluations; the result then holds the best image so far.</param>
    /// <param name="init">Start from this image (resized to the content's size) instead of <see cref="StyleTransferSettings.Init"/>.</param>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite; carries the last good image.</exception>
    /// <exception cref="CudaOutOfMemoryException">GPU memory ran out; suggests a smaller size and carries the best image so far.</exception>
    public static StyleTransferResult Run(FeatureExtractor network, Tensor content, Tensor style, StyleTransferSettings? settings = null,
        Action<StyleTransferProgress>? progress = null, CancellationToken cancellationToken = default, Tensor? init = null) =>
        Run(network, content, [new WeightedStyle(style, 1.0)], settings, progress, cancellationToken, init);

    /// <summary>
    /// Runs one style transfer towards a blend of styles: the style term is the weighted sum of each style's (weights
    /// normalised to sum 1, each style's targets computed once per scale); the palette and histogram colour modes match
    /// the blend's colours (<see cref="PaletteBlend"/>), the style init starts from the heaviest style.
    /// </summary>
    /// <param name="network">The feature extractor (its device is used for everything).</param>
    /// <param name="content">The content image; the result has its size.</param>
    /// <param name="styles">The style images (each resized to the style scale) and their blend weights (≥ 0, not all 0).</param>
    /// <param name="settings">The run's settings (null: defaults).</param>
    /// <param name="progress">Called after each iteration.</param>
    /// <param name="cancellationToken">Stops the run between evaluations; the result then holds the best image so far.</param>
    /// <param name="init">Start from this image (resized to the content's size) instead of <see cref="StyleTransferSettings.Init"/>.</param>
    /// <exception cref="NotebookStyleException">The blend weights are invalid, or a setting is out of range.</exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite; carries the last good image.</exception>
    /// <exception cref="CudaOutOfMemoryException">GPU memory ran out; suggests a smaller size and carries the best image so far.</exception>
    public static StyleTransferResult Run(FeatureExtractor network, Tensor content, IReadOnlyList<WeightedStyle> styles, StyleTransferSettings? settings = null,
        Action<StyleTransferProgress>? progress = null, CancellationToken cancellationToken = default, Tensor? init = null) =>
        Run(network, content, [new StyleRegion(null, styles)], settings, progress, cancellationToken, init);

    /// <summary>
    /// Runs one style transfer with styles per region (Gatys et al. 2017, spatial control): each region's mask (any size,
    /// soft, resized to each layer) selects where its style (or blend) applies, its Gram matrices are computed over the
    /// region only and normalised by its own size, so every region gets its share of the gradient; pixels that no region
    /// covers keep the photo. The palette and histogram colour modes recolour each region by its own styles.
    /// </summary>
    /// <param name="network">The feature extractor (its device is used for everything).</param>
    /// <param name="content">The content image; the result has its size.</param>
    /// <param name="regions">The regions (masks, for instance <see cref="RegionMap.Mask"/>) and their styles.</param>
    /// <param name="settings">The run's settings (null: defaults).</param>
    /// <param name="progress">Called after each iteration.</param>
    /// <param name="cancellationToken">Stops the run between evaluations; the result then holds the best image so far.</param>
    /// <param name="init">Start from this image (resized to the content's size) instead of <see cref="StyleTransferSettings.Init"/>.</param>
    /// <exception cref="NotebookStyleException">No region, invalid blend weights or masks, a setting out of range, or a memory budget that cannot hold the image.</exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite; carries the last good image.</exception>
    /// <exception cref="CudaOutOfMemoryException">GPU memory ran out; suggests a smaller size and carries the best image so far.</exception>
    public static StyleTransferResult Run(FeatureExtractor network, Tensor content, IReadOnlyList<StyleRegion> regions, StyleTransferSettings? settings = null,
        Action<StyleTransferProgress>? progress = null, CancellationToken cancellationToken = default, Tensor? init = null)
    {
        var resolved = ResolvedSettings.Resolve(settings ?? new StyleTransferSettings(), network, Math.Max(content.shape[2], content.shape[3]));
        var clock = Stopwatch.StartNew();
        CudnnBenchmark.EnableFor(network.Device); // the image size is fixed for the run: let cuDNN autotune (CUDA only)
        manual_seed(resolved.Seed);
        using var images = RunImages.Prepare(content, regions, network.Device, resolved);
        var run = new RunContext(network, images, resolved, clock, progress, cancellationToken);
        // A memory budget that cannot hold the finest scale stops the run here, before the coarse scales' work.
        MemoryPlan.For(resolved.Tiling, network, resolved.Taps, images.Target.shape[2], images.Target.shape[3],
            Math.Min(resolved.Lbfgs.HistorySize, resolved.Scales[^1].HistorySize ?? int.MaxValue));

        // Coarse-to-fine: each scale starts from the previous scale's result, which stays on the device.
        var scales = new List<ScaleOutcome>();
        Tensor? start = init?.detach().to(network.Device);
        try
        {
            foreach (var scale in resolved.Scales)
            {
                var outcome = RunScale(run, scale, start);
                start?.Dispose();
                start = outcome.Image;
                scales.Add(outcome);
                if (outcome.Reason == StopReason.Cancelled) break;
            }
            return Combine(scales, clock);
        }
        finally
        {
            start?.Dispose();
        }
    }

    /// <summary>The style image at <paramref name="scale"/> × the content's long side (unchanged when already that size).</summary>
    public static Tensor ResizeStyle(Tensor style, Tensor content, double scale)
    {
        long contentLong = Math.Max(content.shape[2], content.shape[3]), styleLong = Math.Max(style.shape[2], style.shape[3]);
        long wanted = StyleSize.LongSide(contentLong, scale);
        if (Math.Abs(wanted - styleLong) <= 1) return style.alias();
        double factor = (double)wanted / styleLong;
        long height = Math.Max(1, (long)Math.Round(style.shape[2] * factor)), width = Math.Max(1, (long)Math.Round(style.shape[3] * factor));
        using var _ = no_grad();
        // Shrinking averages (no aliasing); enlarging interpolates.
        return factor < 1
            ? nn.functional.interpolate(style, [height, width], mode: InterpolationMode.Area)
            : nn.functional.interpolate(style, [height, width], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1);
    }

    /// <summary>What every scale of one run shares.</summary>
    private sealed record RunContext(FeatureExtractor Network, RunImages Images, ResolvedSettings Settings, Stopwatch Clock,
        Action<StyleTransferProgress>? Progress, CancellationToken Cancellation);

    /// <summary>One scale's result; the image stays on the device (the next scale's start).</summary>
    private sealed record ScaleOutcome(Tensor Image, LossTerms Initial, LossTerms Final, int Iterations, int Evaluations,
        StopReason Reason, IReadOnlyList<StyleTransferProgress> History);

    /// <summary>How the iterations of one scale ended; <paramref name="Midway"/>: inside an iteration or by cancellation, so the best point seen is the result.</summary>
    private sealed record Iterated(int Iterations, StopReason Reason, bool Midway, IReadOnlyList<StyleTransferProgress> History);

    /// <summary>
    /// One scale: the objective for the images at this size, the optimiser's iterations from the start image with a
    /// progress report after each, and the image it ends with (clamped; the photo's colours put back at the finest
    /// scale when asked for).
    /// </summary>
    private static ScaleOutcome RunScale(RunContext run, ScaleStep scale, Tensor? start)
    {
        using var content = scale.Shrink(run.Images.Target);
        // Styles shrink with the scale; masks need not (each loss resizes its mask to its layer).
        var regions = run.Images.Regions.Select(r => r with { Styles = [.. r.Styles.Select(s => new WeightedStyle(scale.Shrink(s.Image), s.Weight))] }).ToList();
        using var shrunk = new DisposableList(regions.SelectMany(r => r.Styles).Select(s => s.Image));
        using var style = scale.Shrink(run.Images.Style);
        // Poster sizes: tiles and a bounded L-BFGS history when the image would not fit the memory budget (by default
        // what the device has free) or the settings ask for them; the targets are then computed in tiles too.
        var plan = MemoryPlan.For(run.Settings.Tiling, run.Network, run.Settings.Taps, content.shape[2], content.shape[3],
            Math.Min(run.Settings.Lbfgs.HistorySize, scale.HistorySize ?? int.MaxValue));
        using var objective = run.Settings.CreateObjective(run.Network, content, regions, plan.TileSize);
        var tiled = Tiles(run.Settings, objective, plan);
        // Where no region covers the image the photo is kept: the objective sees c·x + (1 − c)·photo.
        using var keep = KeepAt(run.Images, scale);
        // A Parameter takes over the initial tensor's handle: x is the leaf being optimised.
        using var x = new Parameter(StartImage(run.Settings, content, style, start).contiguous(), requires_grad: true);
        using var evaluator = new ObjectiveEvaluator(objective, x, scale.MaxEvaluations, run.Cancellation) { Tiled = tiled, Keep = keep };
        using var optimizer = CreateOptimizer(run.Settings with { Lbfgs = run.Settings.Lbfgs with { HistorySize = plan.HistorySize } }, x, evaluator);

        var grid = tiled?.GridFor(content.shape[2], content.shape[3]);
        var iterated = Iterate(run, scale, grid, x, evaluator, optimizer, keep);

        var image = Shown(keep, iterated.Midway ? evaluator.Best : x);
        if (run.Settings.Clamp) image.clamp_(0, 1);
        if (scale.Finest && run.Settings.Color == ColorMode.Preserve)
        {
            using var stylised = image;
            image = ColorTransfer.PreserveColors(stylised, run.Images.Content);
        }
        var final = tiled?.Measure(image) ?? TermsAt(objective, image);
        var initial = evaluator.Terms.Count > 0 ? evaluator.Terms[0] : final;
        return new ScaleOutcome(image, initial, final, iterated.Iterations, optimizer.Evaluations, iterated.Reason, iterated.History);
    }

    /// <summary>
    /// The tiled evaluation the plan asks for (every style term tiles: Gram, blends, regions, Wasserstein); the whole image
    /// when the network cannot describe a tap's geometry (a tap past a global pool), an error only when the settings
    /// named a tile size.
    /// </summary>
    private static TiledObjective? Tiles(ResolvedSettings settings, StyleTransferObjective objective, MemoryPlan plan)
    {
        if (plan.TileSize is not int tile) return null;
        if (TiledObjective.Supports(objective)) return new TiledObjective(objective, tile);
        if (settings.Tiling?.TileSize is not null)
            throw new NotebookStyleException("Tiled evaluation needs layers with a receptive field: a layer past the global pool reads the whole image; " +
                                             "drop the tile size or that layer.");
        return null;
    }

    /// <summary>
    /// The optimisation loop of one scale: an optimiser step, clamping (Adam), a progress report with the accepted
    /// evaluation's loss terms; until the iterations or the evaluation budget are spent, the optimiser converges or the
    /// run is cancelled. A non-finite loss ends it with <see cref="NonFiniteLossException"/>, GPU memory running out with
    /// <see cref="CudaOutOfMemoryException"/>; both carry the best image seen.
    /// </summary>
    private static Iterated Iterate(RunContext run, ScaleStep scale, TileGrid? grid, Parameter x, ObjectiveEvaluator evaluator, IIterativeOptimizer optimizer,
        KeptPixels? keep)
    {
        var history = new List<StyleTransferProgress>();
        int iteration = 0;
        try
        {
            while (iteration < scale.Iterations)
            {
                if (run.Cancellation.IsCancellationRequested) return new(iteration, StopReason.Cancelled, Midway: true, history);
                var outcome = optimizer.Step();
                if (outcome == StepOutcome.Stopped) return StoppedMidway(evaluator, iteration, optimizer.Evaluations, history, keep);
                iteration++;
                if (run.Settings.Optimizer == OptimizerKind.Adam && run.Settings.Clamp)
                    using (no_grad()) x.clamp_(0, 1);
                Report(run, scale, grid, x, iteration, optimizer.Evaluations, evaluator.TermsOf(optimizer.AcceptedEvaluation), history, keep);
                if (outcome == StepOutcome.Converged) return new(iteration, StopReason.Converged, Midway: false, history);
                if (scale.MaxEvaluations is int budget && optimizer.Evaluations >= budget)
                    return new(iteration, StopReason.Evaluations, Midway: false, history);
            }
            return new(iteration, StopReason.Iterations, Midway: false, history);
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            return new(iteration, StopReason.Cancelled, Midway: true, history); // thrown by a progress callback
        }
        catch (Exception ex) when (CudaOutOfMemory.IsOutOfMemory(ex))
        {
            using var best = Shown(keep, evaluator.Best);
            throw CudaOutOfMemory.Create(ex, best, iteration + 1); // named error with a hint and the best image so far
        }
    }

    /// <summary>The evaluator stopped inside an iteration: cancelled, the budget spent (inside a line search), or a non-finite loss.</summary>
    private static Iterated StoppedMidway(ObjectiveEvaluator evaluator, int iteration, int evaluations, IReadOnlyList<StyleTransferProgress> history, KeptPixels? keep) =>
        evaluator.Stop switch
        {
            EvaluationStop.Cancelled => new(iteration, StopReason.Cancelled, Midway: true, history),
            EvaluationStop.BudgetSpent => new(iteration, StopReason.Evaluations, Midway: true, history),
            EvaluationStop.NonFiniteLoss => throw new NonFiniteLossException(
                $"The loss became {evaluator.NonFiniteLoss} at iteration {iteration + 1} (evaluation {evaluations + 1}); stopped with the last good image. " +
                "Lower the learning rate or the loss weights, or check the weights file.", Shown(keep, evaluator.Best).clamp(0, 1).cpu(), iteration + 1),
            _ => throw new InvalidOperationException("The optimiser stopped without the evaluator saying why."),
        };

    /// <summary>Records one iteration's report and hands it to the progress callback (with the image when it is due).</summary>
    private static void Report(RunContext run, ScaleStep scale, TileGrid? grid, Tensor x, int iteration, int evaluations, LossTerms terms,
        List<StyleTransferProgress> history, KeptPixels? keep)
    {
        var report = new StyleTransferProgress(iteration, evaluations, terms, run.Clock.Elapsed, null, GpuMemory(run.Network.Device),
            scale.Index, (int)x.shape[3], (int)x.shape[2], grid?.Tiles.Count ?? 1, grid?.TileSize);
        history.Add(report);
        if (run.Progress is null) return;
        if (run.Settings.ImageEvery > 0 && iteration % run.Settings.ImageEvery == 0)
        {
            using var shown = Shown(keep, x);
            using var snapshot = shown.clamp(0, 1).cpu();
            run.Progress(report with { Image = snapshot });
        }
        else run.Progress(report);
    }

    /// <summary>The kept pixels at this scale's size (null when the regions cover every pixel).</summary>
    private static KeptPixels? KeepAt(RunImages images, ScaleStep scale)
    {
        if (images.Coverage is null) return null;
        using var photo = scale.Shrink(images.Content);
        using var coverage = scale.Shrink(images.Coverage);
        return new KeptPixels(photo, coverage);
    }

    /// <summary>The image a point of the optimisation stands for (a detached copy): itself, or with the photo kept where no region covers it.</summary>
    private static Tensor Shown(KeptPixels? keep, Tensor x)
    {
        using var _ = no_grad();
        return keep is null ? x.detach().clone() : keep.Apply(x.detach());
    }

    /// <summary>The run's result: the last scale's image (now on the CPU) and loss terms; iterations, evaluations, time and history over all scales.</summary>
    private static StyleTransferResult Combine(IReadOnlyList<ScaleOutcome> scales, Stopwatch clock)
    {
        // Coarse-to-fine: the loss terms are the last scale's (coarser scales' losses are not comparable).
        var last = scales[^1];
        return new StyleTransferResult(last.Image.cpu(), last.Initial, last.Final, scales.Sum(scale => scale.Iterations),
            scales.Sum(scale => scale.Evaluations), clock.Elapsed, last.Reason, [.. scales.SelectMany(scale => scale.History)]);
    }

    private static IIterativeOptimizer CreateOptimizer(ResolvedSettings settings, Parameter x, ObjectiveEvaluator evaluator) =>
        settings.Optimizer == OptimizerKind.Lbfgs
            ? new Lbfgs(x, evaluator.Evaluate, settings.Lbfgs)
            : new AdamOptimizer(x, evaluator.Evaluate, settings.AdamLearningRate);

    /// <summary>Where a scale starts: the previous scale's result (or the caller's image) resized, else the settings' init.</summary>
    private static Tensor StartImage(ResolvedSettings settings, Tensor content, Tensor style, Tensor? start)
    {
        using var _ = no_grad();
        long height = content.shape[2], width = content.shape[3];
        if (start is not null)
            return nn.functional.interpolate(start, [height, width], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1);
        return settings.Init switch
        {
            InitKind.Content => content.clone(),
            InitKind.Noise => rand(content.shape, generator: new Generator((ulong)settings.Seed), dtype: content.dtype).to(content.device),
            InitKind.Style => nn.functional.interpolate(style, [height, width], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Init, "Unknown init."),
        };
    }

    /// <summary>The loss terms at an image, without gradients.</summary>
    private static LossTerms TermsAt(StyleTransferObjective objective, Tensor image)
    {
        using var _ = no_grad();
        var (total, terms) = objective.Evaluate(image);
        total.Dispose();
        return terms;
    }

    /// <summary>Disposes a scale's shrunk style images.</summary>
    private sealed class DisposableList(IEnumerable<Tensor> tensors) : IDisposable
    {
        private readonly List<Tensor> _tensors = [.. tensors];

        public void Dispose()
        {
            foreach (var t in _tensors) t.Dispose();
        }
    }

    private static long? GpuMemory(Device device) => device.type == DeviceType.CUDA ? CudaMemory.UsedBytes() : null;
}
