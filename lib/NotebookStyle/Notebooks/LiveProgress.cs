using System.Globalization;
using NotebookStyle.Imaging;
using NotebookStyle.Optimization;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Live progress of a style transfer in a notebook: a status line, the current image and the loss curve per term,
/// three outputs replaced in place as the optimisation runs (<c>display(x).Update(y)</c>).
/// <code>
/// var live = LiveProgress.Show(content);
/// using var result = StyleTransfer.Run(net, content, style, live.Configure(settings), live.Report);
/// live.Complete(result);
/// </code>
/// </summary>
public sealed class LiveProgress
{
    private readonly List<StyleTransferProgress> _history = [];
    private readonly IDisplayHandle _status, _image, _chart;
    private readonly string _title;

    private LiveProgress(IDisplayTarget target, string title, Tensor? start, int imageEvery, int chartEvery)
    {
        _title = title;
        ImageEvery = imageEvery;
        ChartEvery = chartEvery;
        _status = target.Display($"{title}: starting…");
        _image = target.Display(start is null ? new Image<Rgb24>(64, 64, new Rgb24(255, 255, 255)) : ImageTensor.ToImage(start));
        _chart = target.Display(Placeholder(title));
    }

    /// <summary>Shows the three outputs; <paramref name="start"/> is the image shown until the first snapshot.</summary>
    public static LiveProgress Show(Tensor? start = null, string title = "Style transfer", int? imageEvery = null, int chartEvery = 0, IDisplayTarget? target = null)
    {
        int every = imageEvery ?? LessonSettings.Current.ImageEvery;
        if (every < 1) throw new NotebookStyleException($"imageEvery must be at least 1, got {every}.");
        return new LiveProgress(target ?? KernelDisplay.Instance, title, start, every, chartEvery > 0 ? chartEvery : every);
    }

    /// <summary>The image is refreshed every this many iterations.</summary>
    public int ImageEvery { get; }

    /// <summary>The chart is refreshed every this many iterations.</summary>
    public int ChartEvery { get; }

    /// <summary>Every report so far (without images).</summary>
    public IReadOnlyList<StyleTransferProgress> History => _history;

    /// <summary><paramref name="settings"/> with snapshots every <see cref="ImageEvery"/> iterations.</summary>
    public StyleTransferSettings Configure(StyleTransferSettings settings) => settings with { ImageEvery = ImageEvery };

    /// <summary>The progress callback for <see cref="StyleTransfer"/>.Run.</summary>
    public void Report(StyleTransferProgress p)
    {
        _history.Add(p with { Image = null });
        _status.Update(Status(p, done: false));
        if (p.Image is not null) _image.Update(ImageTensor.ToImage(p.Image));
        if (p.Iteration % ChartEvery == 0 || p.Image is not null) _chart.Update(Charts.LossCurves(_history, $"{_title}: loss per term"));
    }

    /// <summary>Shows the final image, the full curve and a summary line.</summary>
    public void Complete(StyleTransferResult result)
    {
        _image.Update(ImageTensor.ToImage(result.Image));
        if (result.History.Count > 0)
        {
            _chart.Update(Charts.LossCurves(result.History, $"{_title}: loss per term"));
            _status.Update(Status(result.History[^1], done: true) + $", stopped: {result.Reason}");
        }
    }

    /// <summary>One line: iteration, evaluations, each term, time.</summary>
    public static string Status(StyleTransferProgress p, bool done)
    {
        var ci = CultureInfo.InvariantCulture;
        string terms = string.Join(", ", p.Loss.Terms.Select(t => $"{t.Key} {t.Value.ToString("G4", ci)}"));
        return $"{(done ? "done" : "iteration")} {p.Iteration} ({p.Evaluations} evaluations): total {p.Loss.Total.ToString("G4", ci)} = {terms}; {p.Elapsed.TotalSeconds.ToString("F1", ci)} s";
    }

    /// <summary>What the chart's place shows until the first iteration has a loss to draw (no made-up point).</summary>
    internal static string Placeholder(string title) => $"{title}: the loss per term is drawn here after the first iteration.";
}
