using System.Diagnostics;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Backend;
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
        Action<StyleTransferProgress>? progress = null, CancellationToken cancellationToken = default, Tensor? init = null)
    {
        var s = settings ?? new StyleTransferSettings();
        if (s.Scales < 1) throw new NotebookStyleException($"Scales must be at least 1, got {s.Scales}.");
        if (s.Scales > 1 && s.ScaleFactor <= 1) throw new NotebookStyleException($"ScaleFactor must be above 1, got {s.ScaleFactor}.");
        var clock = Stopwatch.StartNew();
        var device = network.Device;
        CudnnBenchmark.EnableFor(device); // the image size is fixed for the run: let cuDNN autotune (CUDA only)
        manual_seed(s.Seed);
        var d = network.DefaultsFor(s.Preset);
        var color = s.Color ?? d.Color;
        double styleScale = s.StyleScale ?? d.StyleScale, strength = s.HistogramStrength ?? d.HistogramStrength;
        if (!(styleScale > 0 && styleScale <= 8)) throw new NotebookStyleException($"StyleScale must be in (0, 8], got {styleScale}.");
        if (!(strength >= 0 && strength <= 1)) throw new NotebookStyleException($"HistogramStrength must be in [0, 1], got {strength}.");

        using var contentD = content.detach().to(device);
        using var styleIn = style.detach().to(device);
        using var styleD = ResizeStyle(styleIn, contentD, styleScale);
        // Palette: the content (target and start) takes the style's colour statistics, so the optimisation never pulls the photo's colours back.
        using var target = color switch
        {
            ColorMode.Palette => ColorTransfer.MatchPalette(contentD, styleD),
            ColorMode.Histogram => ColorTransfer.MatchHistogram(contentD, styleD, strength, seed: s.Seed),
            _ => contentD.alias(),
        };

        var results = new List<StyleTransferResult>();
        Tensor? start = init?.detach().to(device);
        try
        {
            for (int k = 0; k < s.Scales; k++)
            {
                double factor = Math.Pow(s.ScaleFactor, s.Scales - 1 - k);
                using var c = Shrink(target, factor);
                using var st = Shrink(styleD, factor);
                using var original = color == ColorMode.Preserve ? Shrink(contentD, factor) : null;
                bool finest = k == s.Scales - 1;
                var sk = finest ? s : s with { Iterations = s.CoarseIterations ?? s.Iterations, MaxEvaluations = null };
                var r = RunScale(network, c, st, sk, start, finest ? original : null, k, clock, progress, cancellationToken);
                results.Add(r);
                start?.Dispose();
                start = finest ? null : r.Image.to(device).clone();
                if (r.Reason == StopReason.Cancelled) break;
            }
        }
        finally
        {
            start?.Dispose();
            foreach (var r in results.Take(results.Count - 1)) r.Dispose();
        }

        var last = results[^1];
        if (results.Count == 1) return last;
        // Coarse-to-fine: the loss terms are the finest scale's (coarser scales' losses are not comparable); counts and time are totals.
        return last with
        {
            Iterations = results.Sum(r => r.Iterations),
            Evaluations = results.Sum(r => r.Evaluations),
            Elapsed = clock.Elapsed,
            History = results.SelectMany(r => r.History).ToList(),
        };
    }

    /// <summary>The style image at <paramref name="scale"/> × the content's long side (unchanged when already that size).</summary>
    public static Tensor ResizeStyle(Tensor style, Tensor content, double scale)
    {
        long contentLong = Math.Max(content.shape[2], content.shape[3]), styleLong = Math.Max(style.shape[2], style.shape[3]);
        long wanted = StyleSize.LongSide(contentLong, scale);
        if (Math.Abs(wanted - styleLong) <= 1) return style.alias();
        double f = (double)wanted / styleLong;
        long h = Math.Max(1, (long)Math.Round(style.shape[2] * f)), w = Math.Max(1, (long)Math.Round(style.shape[3] * f));
        using var _ = no_grad();
        // Shrinking averages (no aliasing); enlarging interpolates.
        return f < 1
            ? nn.functional.interpolate(style, [h, w], mode: InterpolationMode.Area)
            : nn.functional.interpolate(style, [h, w], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1);
    }

    private static Tensor Shrink(Tensor image, double factor)
    {
        if (factor == 1.0) return image.alias();
        long h = Math.Max(8, (long)Math.Round(image.shape[2] / factor)), w = Math.Max(8, (long)Math.Round(image.shape[3] / factor));
        using var _ = no_grad();
        return nn.functional.interpolate(image, [h, w], mode: InterpolationMode.Area);
    }

    private static StyleTransferResult RunScale(FeatureExtractor network, Tensor contentD, Tensor styleD, StyleTransferSettings s, Tensor? init,
        Tensor? preserveColorsOf, int scale, Stopwatch clock, Action<StyleTransferProgress>? progress, CancellationToken cancellationToken)
    {
        var d = network.DefaultsFor(s.Preset);
        var device = network.Device;
        using var objective = StyleTransferObjective.Create(network, contentD, styleD, s.Layers ?? d.Layers,
            s.Normalization ?? d.Normalization, s.ContentWeight ?? d.ContentWeight, s.StyleWeight ?? d.StyleWeight,
            s.TvWeight ?? d.TvWeight, s.TvPower);
        int width = (int)contentD.shape[3], height = (int)contentD.shape[2];

        // A Parameter takes over the initial tensor's handle: x is the leaf being optimised.
        using var x = new Parameter(Initialize(s, contentD, styleD, init).contiguous(), requires_grad: true);
        using var best = x.detach().clone();
        double bestLoss = double.PositiveInfinity;
        LossTerms? initial = null;
        var recent = new List<(double F, LossTerms Terms)>();
        int evaluations = 0;

        double Evaluate()
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A line search may ask for more evaluations than the budget has left: stop before spending them.
            if (s.MaxEvaluations is int budget && evaluations >= budget) throw new BudgetSignal();
            evaluations++;
            using var scope = NewDisposeScope();
            var (total, terms) = objective.Evaluate(x);
            double f = total.ToDouble();
            if (!double.IsFinite(f)) throw new NonFiniteSignal(f);
            total.backward();
            initial ??= terms;
            recent.Add((f, terms));
            if (f < bestLoss)
            {
                bestLoss = f;
                using (no_grad()) best.copy_(x);
            }
            return f;
        }

        using IIterativeOptimizer optimizer = s.Optimizer == OptimizerKind.Lbfgs
            ? new Lbfgs(x, Evaluate, s.Lbfgs)
            : new AdamOptimizer(x, Evaluate, s.AdamLearningRate);

        var history = new List<StyleTransferProgress>();
        var reason = StopReason.Iterations;
        bool stoppedMidIteration = false;
        int iteration = 0;
        try
        {
            while (iteration < s.Iterations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                recent.Clear();
                bool more = optimizer.Step();
                iteration++;
                if (s.Optimizer == OptimizerKind.Adam && s.Clamp)
                    using (no_grad()) x.clamp_(0, 1);
                // The terms at the accepted point; an iteration that stopped without evaluating keeps the last ones.
                var terms = recent.LastOrDefault(r => r.F == optimizer.Loss).Terms
                            ?? (recent.Count > 0 ? recent[^1].Terms : history.Count > 0 ? history[^1].Loss : initial!);
                var report = new StyleTransferProgress(iteration, optimizer.Evaluations, terms, clock.Elapsed, null, GpuMemory(device), scale, width, height);
                history.Add(report);
                if (progress is not null)
                {
                    if (s.ImageEvery > 0 && iteration % s.ImageEvery == 0)
                    {
                        using var snapshot = x.detach().clamp(0, 1).cpu();
                        progress(report with { Image = snapshot });
                    }
                    else progress(report);
                }
                if (!more) { reason = StopReason.Converged; break; }
                if (s.MaxEvaluations is int max && optimizer.Evaluations >= max) { reason = StopReason.Evaluations; break; }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = StopReason.Cancelled;
        }
        catch (BudgetSignal)
        {
            reason = StopReason.Evaluations;
            stoppedMidIteration = true;
        }
        catch (NonFiniteSignal nan)
        {
            var lastGood = best.detach().clamp(0, 1).cpu();
            throw new NonFiniteLossException(
                $"The loss became {nan.Value} at iteration {iteration + 1} (evaluation {optimizer.Evaluations + 1}); stopped with the last good image. " +
                "Lower the learning rate or the loss weights, or check the weights file.", lastGood, iteration + 1);
        }
        catch (Exception ex) when (CudaOutOfMemory.IsOutOfMemory(ex))
        {
            throw CudaOutOfMemory.Create(ex, best, iteration + 1); // named error with a hint and the best image so far
        }

        // The result: the current point, or the best point seen when stopped mid-way (cancelled, or the evaluation
        // budget ran out inside a line search).
        using var chosen = reason == StopReason.Cancelled || stoppedMidIteration ? best.detach().clone() : x.detach().clone();
        if (s.Clamp) chosen.clamp_(0, 1);
        using var finished = preserveColorsOf is null ? chosen.alias() : ColorTransfer.PreserveColors(chosen, preserveColorsOf);
        LossTerms final;
        using (no_grad())
        {
            var (total, terms) = objective.Evaluate(finished);
            total.Dispose();
            final = terms;
        }
        initial ??= final;
        var image = finished.cpu().clone();
        return new StyleTransferResult(image, initial, final, iteration, optimizer.Evaluations, clock.Elapsed, reason, history);
    }

    private static Tensor Initialize(StyleTransferSettings s, Tensor content, Tensor style, Tensor? init)
    {
        using var _ = no_grad();
        if (init is not null)
            return nn.functional.interpolate(init, [content.shape[2], content.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1);
        return s.Init switch
        {
            InitKind.Content => content.clone(),
            InitKind.Noise => rand(content.shape, generator: new Generator((ulong)s.Seed), dtype: content.dtype).to(content.device),
            InitKind.Style => nn.functional.interpolate(style, [content.shape[2], content.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(s)),
        };
    }

    private static long? GpuMemory(Device device) => device.type == DeviceType.CUDA ? CudaMemory.UsedBytes() : null;

    private sealed class BudgetSignal() : Exception("evaluation budget spent");

    private sealed class NonFiniteSignal(double value) : Exception($"non-finite loss {value}")
    {
        public double Value { get; } = value;
    }
}
