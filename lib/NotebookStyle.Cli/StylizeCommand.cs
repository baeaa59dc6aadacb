using System.CommandLine;
using System.Diagnostics;
using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;

namespace NotebookStyle.Cli;

/// <summary>Loads the images and the network, runs the driver, writes the image and the metrics.</summary>
internal sealed class StylizeCommand(CliDefinition o, ParseResult p, TextWriter stdout, TextWriter stderr)
{
    public int Run()
    {
        var load = Stopwatch.StartNew();
        string content = p.GetValue(o.Content)!.FullName, style = p.GetValue(o.Style)!.FullName, output = p.GetValue(o.Output)!.FullName;
        int size = p.GetValue(o.Size);
        // Check both images (header only) before the slow parts, so bad input fails at once.
        ImageLoader.Identify(content);
        ImageLoader.Identify(style);

        TorchBackend.SetThreads(p.GetValue(o.Threads));
        var device = TorchBackend.ResolveDevice(TorchBackend.ParseDevice(p.GetValue(o.Device)!));
        var pooling = p.GetValue(o.Pooling) == "avg" ? Models.Pooling.Average : Models.Pooling.Max;
        bool quiet = p.GetValue(o.Quiet);
        var loaded = Networks.Load(Networks.Parse(p.GetValue(o.Network)!), device, new NetworkOptions
        {
            Pooling = pooling,
            WeightsPath = p.GetValue(o.Weights),
            WeightsPreprocessing = p.GetValue(o.WeightsPreprocessing) is { } pre ? Preprocessing.Parse(pre) : null,
            RandomSeed = p.GetValue(o.RandomWeights),
            Store = new WeightStore(notice: m => stderr.WriteLine($"notice: {m}")),
            DownloadProgress = quiet ? null : new DownloadReporter(stderr),
        });
        foreach (var notice in loaded.Notices) stderr.WriteLine($"notice: {notice}");

        var preset = Enum.Parse<StylePreset>(p.GetValue(o.Preset)!, ignoreCase: true);
        var defaults = loaded.Network.DefaultsFor(preset);
        double styleScale = p.GetValue(o.StyleScale) ?? defaults.StyleScale;
        using var contentImage = ImageTensor.Load(content, size);
        // The style at the size the driver wants (it would resize a larger one itself): StyleScale × the result's long side.
        int styleSize = Math.Max(16, (int)Math.Round(size * styleScale));
        using var styleImage = ImageTensor.Load(style, styleSize);
        load.Stop();

        var settings = new StyleTransferSettings
        {
            Preset = preset,
            StyleScale = styleScale,
            HistogramStrength = p.GetValue(o.HistogramStrength),
            Iterations = p.GetValue(o.Iterations),
            MaxEvaluations = p.GetValue(o.MaxEvaluations),
            Optimizer = p.GetValue(o.Optimizer) == "adam" ? OptimizerKind.Adam : OptimizerKind.Lbfgs,
            Init = Enum.Parse<InitKind>(p.GetValue(o.Init)!, ignoreCase: true),
            ContentWeight = p.GetValue(o.ContentWeight),
            StyleWeight = p.GetValue(o.StyleWeight),
            TvWeight = p.GetValue(o.TvWeight),
            TvPower = p.GetValue(o.TvPower),
            AdamLearningRate = p.GetValue(o.LearningRate),
            Seed = p.GetValue(o.Seed),
            Color = p.GetValue(o.Color) is { } color ? Enum.Parse<ColorMode>(color, ignoreCase: true) : null,
            Scales = p.GetValue(o.Scales),
            CoarseIterations = p.GetValue(o.CoarseIterations),
            Tiling = o.Tiling.Read(p),
        };

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        StyleTransferResult result;
        int exitCode = 0;
        try
        {
            Func<Action<StyleTransferProgress>, StyleTransferResult> run = progress =>
                StyleTransfer.Run(loaded.Network, contentImage, styleImage, settings, progress, cancel.Token);
            result = quiet ? run(_ => { }) : ProgressView.Run(settings, run, stdout);
        }
        catch (NonFiniteLossException ex)
        {
            using var lastGood = ex.LastGoodImage;
            ImageTensor.SavePng(lastGood, output);
            stderr.WriteLine($"error: {ex.Message} The last good image was written to {output}.");
            return 3;
        }
        catch (CudaOutOfMemoryException ex)
        {
            using var soFar = ex.ImageSoFar;
            if (soFar is not null) ImageTensor.SavePng(soFar, output);
            stderr.WriteLine($"error: {ex.Message}" + (soFar is not null ? $" The image so far was written to {output}." : ""));
            return 3;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        using (result)
        {
            ImageTensor.SavePng(result.Image, output);
            if (result.Reason == StopReason.Cancelled)
            {
                stderr.WriteLine($"cancelled after {result.Iterations} iterations; the best image so far was written to {output}.");
                exitCode = 130;
            }
            if (p.GetValue(o.MetricsFile) is { } metrics)
            {
                new Metrics(content, style, output, loaded.Network.NetworkName, loaded.Weights, device.ToString(), TorchSharp.torch.get_num_threads(),
                    preset.ToString().ToLowerInvariant(), (settings.Color ?? defaults.Color).ToString().ToLowerInvariant(), styleScale, settings.Scales,
                    (int)result.Image.shape[3], (int)result.Image.shape[2], settings.Optimizer.ToString().ToLowerInvariant(),
                    settings.Init.ToString().ToLowerInvariant(), settings.Seed, result.Iterations, result.Evaluations,
                    result.Elapsed.TotalSeconds, load.Elapsed.TotalSeconds, result.Reason.ToString(),
                    Metrics.Terms(result.Initial), Metrics.Terms(result.Final)).Write(metrics.FullName);
            }
            if (!quiet)
                stdout.WriteLine($"wrote {output} ({result.Image.shape[3]}×{result.Image.shape[2]}, {result.Iterations} iterations, " +
                                  $"{result.Evaluations} evaluations, {result.Elapsed.TotalSeconds:F1} s; loss {result.Initial.Total:G4} → {result.Final.Total:G4})");
        }
        return exitCode;
    }
}
