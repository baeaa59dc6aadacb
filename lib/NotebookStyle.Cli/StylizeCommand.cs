using System.Diagnostics;
using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;
using TorchSharp;

namespace NotebookStyle.Cli;

/// <summary>
/// The stylise command, in the order a run needs: check where the results go, read both images, load the network,
/// optimise, write the image and the metrics. Everything that can be refused is refused before the optimisation.
/// </summary>
internal sealed class StylizeCommand(StylizeRequest request, TextWriter stdout, TextWriter stderr)
{
    /// <summary>Where the results go, checked.</summary>
    private sealed record Destinations(OutputTarget Image, ImageFileFormat Format, OutputTarget? Metrics);

    /// <summary>How the optimisation ended: a result, or a failure that may still carry an image worth keeping.</summary>
    private sealed record Ending(StyleTransferResult? Result, torch.Tensor? Image, string? Failure) : IDisposable
    {
        public void Dispose()
        {
            Result?.Dispose();
            if (Result is null) Image?.Dispose();
        }
    }

    public int Run()
    {
        using var signals = new StopSignals(stderr);
        var load = Stopwatch.StartNew();
        var destinations = CheckDestinations();
        var content = InputImage.Read(request.Content, Console.OpenStandardInput);
        var style = InputImage.Read(request.Style, Console.OpenStandardInput);
        var extraStyles = request.Control.ExtraStyles.Select(path => InputImage.Read(path, Console.OpenStandardInput)).ToList();
        // Every input is read and identified before the network loads (and before any download).
        var regionMap = request.Control.RegionMap is { } mapPath ? InputImage.Read(mapPath, Console.OpenStandardInput) : null;
        var device = PrepareBackend();
        var loaded = LoadNetwork(device);
        var settings = Settings(loaded.Network);
        using var contentTensor = ImageTensor.Load(content.Bytes, content.Name, request.Size);
        // The style at the size the driver uses (it would resize any other size itself).
        int styleSize = StyleSize.LongSide(request.Size, settings.StyleScale!.Value);
        using var styleTensor = ImageTensor.Load(style.Bytes, style.Name, styleSize);
        using var extras = new TensorList(extraStyles.Select(extra => ImageTensor.Load(extra.Bytes, extra.Name, styleSize)));
        var resolved = ResolvedSettings.Resolve(settings, loaded.Network, Math.Max(contentTensor.shape[2], contentTensor.shape[3]));
        BudgetCheck.Check(settings.Tiling, loaded.Network, resolved, contentTensor.shape[2], contentTensor.shape[3]);
        var regions = request.Control.Regions([styleTensor, .. extras.Items], contentTensor, regionMap);
        using var masks = new TensorList(regions.Select(region => region.Mask).OfType<torch.Tensor>());
        load.Stop();

        signals.OptimisationStarts();
        var scales = resolved.Scales;
        using var ending = Optimise(loaded.Network, contentTensor, regions, settings, scales, signals.Token);
        signals.OptimisationEnded();
        return Finish(ending, destinations, loaded, device, settings with { Scales = scales.Count }, load.Elapsed, signals.Received);
    }

    /// <summary>Refuses, before anything slow, results that cannot be written or would overwrite an input or each other (<see cref="RunFiles"/>).</summary>
    private Destinations CheckDestinations()
    {
        var image = OutputTarget.Check("--output", request.Output);
        var metrics = request.Metrics is { } path ? OutputTarget.Check("--metrics", path) : null;
        RunFiles.Check(RunFiles.Inputs(request), metrics is null ? [image] : [image, metrics]);
        var format = image.ImageFormat();
        if (request.BitDepth == 16 && format != ImageFileFormat.Png)
            throw new NotebookStyleException($"--bit-depth 16 needs a PNG --output; {request.Output} is {format.ToString().ToUpperInvariant()}.");
        return new Destinations(image, format, metrics);
    }

    /// <summary>Threads (bounded by the processors there are) and the device.</summary>
    private torch.Device PrepareBackend()
    {
        int threads = request.Threads;
        if (threads > Environment.ProcessorCount)
        {
            stderr.WriteLine($"notice: --threads {threads} is more than the {Environment.ProcessorCount} processors here; using {Environment.ProcessorCount}.");
            threads = Environment.ProcessorCount;
        }
        TorchBackend.SetThreads(threads);
        return TorchBackend.ResolveDevice(request.Device);
    }

    private LoadedNetwork LoadNetwork(torch.Device device)
    {
        var loaded = Networks.Load(request.Network, device, request.NetworkOptions with
        {
            Store = new WeightStore(notice: m => stderr.WriteLine($"notice: {m}")),
            DownloadProgress = request.Quiet ? null : new DownloadReporter(stderr),
        });
        foreach (var notice in loaded.Notices) stderr.WriteLine($"notice: {notice}");
        return loaded;
    }

    /// <summary>The driver's settings as asked, with the style scale resolved (the preset's when not given: the style image is loaded at it).</summary>
    private StyleTransferSettings Settings(FeatureExtractor network) =>
        request.Settings with { StyleScale = request.Settings.StyleScale ?? network.DefaultsFor(request.Settings.Preset).StyleScale };

    private Ending Optimise(FeatureExtractor network, torch.Tensor content, IReadOnlyList<NotebookStyle.Losses.StyleRegion> regions,
        StyleTransferSettings settings, IReadOnlyList<ScaleStep> scales, CancellationToken cancel)
    {
        try
        {
            Func<Action<StyleTransferProgress>, StyleTransferResult> run = progress =>
                StyleTransfer.Run(network, content, regions, settings, progress, cancel);
            var result = request.Quiet ? run(_ => { }) : ProgressView.Run(scales, run, stdout);
            return new Ending(result, result.Image, null);
        }
        catch (NonFiniteLossException ex)
        {
            return new Ending(null, ex.LastGoodImage, ex.Message);
        }
        catch (CudaOutOfMemoryException ex)
        {
            return new Ending(null, ex.ImageSoFar, ex.Message);
        }
    }

    /// <summary>Writes what there is to write and says, in at most one line on stderr, what went wrong.</summary>
    private int Finish(Ending ending, Destinations destinations, LoadedNetwork loaded, torch.Device device, StyleTransferSettings settings,
        TimeSpan loadTime, System.Runtime.InteropServices.PosixSignal? signal)
    {
        if (ending.Image is null)
        {
            stderr.WriteLine($"error: {ending.Failure}");
            return ExitCodes.RunFailed;
        }
        var image = ResultWriter.WriteImage(ending.Image, destinations.Image, destinations.Format, request.JpegQuality, request.BitDepth);
        string imageAt = image.Describe(destinations.Image);
        if (ending.Result is not { } result)
        {
            stderr.WriteLine($"error: {ending.Failure} The last good image was written to {imageAt}.");
            return image.AsAsked ? ExitCodes.RunFailed : ExitCodes.WriteFailed;
        }

        var metrics = destinations.Metrics is { } target ? ResultWriter.WriteMetrics(Metrics(result, loaded, device, settings, loadTime), target) : null;
        string metricsProblem = metrics is { AsAsked: false } ? $"; the metrics went to {metrics.Describe(destinations.Metrics!)}" : "";
        bool cancelled = result.Reason == StopReason.Cancelled;
        if (cancelled)
            stderr.WriteLine($"cancelled by {StopSignals.Describe(signal ?? System.Runtime.InteropServices.PosixSignal.SIGINT)} after {result.Iterations} iterations; " +
                             $"the best image so far was written to {imageAt}{metricsProblem}.");
        else if (!image.AsAsked)
            stderr.WriteLine($"error: the result was written to {imageAt}{metricsProblem}.");
        else if (metrics is { AsAsked: false })
            stderr.WriteLine($"error: the image was written to {imageAt}, the metrics to {metrics.Describe(destinations.Metrics!)}.");
        else if (!request.Quiet)
            stdout.WriteLine($"wrote {imageAt} ({result.Image.shape[3]}×{result.Image.shape[2]}, {result.Iterations} iterations, " +
                             $"{result.Evaluations} evaluations, {result.Elapsed.TotalSeconds:F1} s; loss {result.Initial.Total:G4} → {result.Final.Total:G4})");

        if (!image.AsAsked || metrics is { AsAsked: false }) return ExitCodes.WriteFailed;
        return cancelled ? StopSignals.ExitCodeFor(signal ?? System.Runtime.InteropServices.PosixSignal.SIGINT) : ExitCodes.Success;
    }

    private Metrics Metrics(StyleTransferResult result, LoadedNetwork loaded, torch.Device device, StyleTransferSettings settings, TimeSpan loadTime) => new()
    {
        Content = FullName(request.Content),
        Style = FullName(request.Style),
        Output = Path.GetFullPath(request.Output),
        Network = loaded.Network.NetworkName,
        Weights = loaded.Weights,
        Device = device.ToString(),
        Threads = torch.get_num_threads(),
        Preset = OptionWords.Preset.WordFor(settings.Preset),
        Color = OptionWords.Color.WordFor(settings.Color ?? loaded.Network.DefaultsFor(settings.Preset).Color),
        StyleScale = settings.StyleScale!.Value,
        Scales = settings.Scales ?? 1,
        Width = (int)result.Image.shape[3],
        Height = (int)result.Image.shape[2],
        Optimizer = OptionWords.Optimizer.WordFor(settings.Optimizer),
        Init = OptionWords.Init.WordFor(settings.Init),
        Seed = settings.Seed,
        Iterations = result.Iterations,
        Evaluations = result.Evaluations,
        OptimisationSeconds = result.Elapsed.TotalSeconds,
        LoadSeconds = loadTime.TotalSeconds,
        StopReason = result.Reason.ToString(),
        Initial = Cli.Metrics.Terms(result.Initial),
        Final = Cli.Metrics.Terms(result.Final),
        History = Cli.Metrics.Curve(result.History),
    };

    private static string FullName(string path) => path == InputImage.StandardInput ? path : Path.GetFullPath(path);
}

/// <summary>Tensors disposed together (the extra styles, the region masks).</summary>
internal sealed class TensorList(IEnumerable<torch.Tensor> tensors) : IDisposable
{
    /// <summary>The tensors.</summary>
    public IReadOnlyList<torch.Tensor> Items { get; } = tensors.ToList();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in Items) tensor.Dispose();
    }
}
