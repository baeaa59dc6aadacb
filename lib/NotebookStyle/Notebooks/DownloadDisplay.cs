using System.Globalization;
using NotebookStyle.Storage;
using NotebookStyle.Weights;

namespace NotebookStyle.Notebooks;

/// <summary>
/// A download's progress in a notebook: one output line, shown at the first report and replaced in place
/// (<c>display(x).Update(y)</c>) at most every <see cref="Interval"/> and at the end. Nothing is shown when nothing
/// is downloaded (a cached file reports no progress).
/// </summary>
public sealed class DownloadDisplay : IProgress<DownloadProgress>
{
    private readonly IDisplayTarget _target;
    private readonly Func<TimeSpan> _clock;
    private IDisplayHandle? _handle;
    private TimeSpan _lastShown = TimeSpan.MinValue;
    private string? _lastLine;

    /// <summary>Creates the display; <paramref name="target"/> and <paramref name="clock"/> replace the kernel and the time in tests.</summary>
    public DownloadDisplay(IDisplayTarget? target = null, Func<TimeSpan>? clock = null)
    {
        _target = target ?? KernelDisplay.Instance;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _clock = clock ?? (() => watch.Elapsed);
    }

    /// <summary>The shortest time between two updates of the line.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Every line shown so far, in order (the last is what the output holds now).</summary>
    public List<string> Shown { get; } = [];

    /// <inheritdoc />
    public void Report(DownloadProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool finished = value.TotalBytes is { } total && value.BytesReceived >= total;
        var now = _clock();
        if (_handle is not null && !finished && now - _lastShown < Interval) return;
        string line = Line(value);
        if (line == _lastLine) return;
        _lastShown = now;
        _lastLine = line;
        Shown.Add(line);
        if (_handle is null) _handle = _target.Display(line);
        else _handle.Update(line);
    }

    /// <summary>The text of one report: a bar, megabytes, percent and speed.</summary>
    public static string Line(DownloadProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var ci = CultureInfo.InvariantCulture;
        string mb = (p.BytesReceived / 1048576.0).ToString("F1", ci);
        double seconds = Math.Max(p.Elapsed.TotalSeconds, 1e-3);
        string speed = (p.BytesReceived / 1048576.0 / seconds).ToString("F1", ci) + " MB/s";
        if (p.Fraction is not { } f)
            return $"Downloading {p.Name}: {mb} MB, {speed}";
        const int width = 30;
        int filled = (int)Math.Round(f * width);
        string bar = new string('█', filled) + new string('░', width - filled);
        string total = (p.TotalBytes!.Value / 1048576.0).ToString("F1", ci);
        string verb = f >= 1 ? "Downloaded" : "Downloading";
        return $"{verb} {p.Name} {bar} {mb} / {total} MB ({(f * 100).ToString("F0", ci)}%), {speed}";
    }
}
