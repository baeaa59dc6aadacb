using NotebookStyle.Storage;

namespace NotebookStyle.Cli;

/// <summary>Prints download progress on stderr: a line at most every 5 % (or every 10 MB when the size is unknown).</summary>
internal sealed class DownloadReporter(TextWriter stderr) : IProgress<DownloadProgress>
{
    private long _lastStep = -1;

    public void Report(DownloadProgress value)
    {
        long step = value.Fraction is double f ? (long)(f * 20) : value.BytesReceived / (10L << 20);
        if (step == _lastStep) return;
        _lastStep = step;
        stderr.WriteLine($"download {value}");
    }
}
