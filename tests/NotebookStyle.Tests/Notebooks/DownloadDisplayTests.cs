using NotebookStyle.Notebooks;
using NotebookStyle.Storage;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests.Notebooks;

public class DownloadDisplayTests
{
    [Fact]
    public void OneOutputUpdatedInPlaceThrottledAndAlwaysShowingTheEnd()
    {
        var target = new RecordingDisplay();
        var now = TimeSpan.Zero;
        var display = new DownloadDisplay(target, () => now);
        const long total = 80L << 20;
        for (int i = 0; i <= 100; i++)
        {
            now = TimeSpan.FromMilliseconds(10 * i); // 100 reports in one second
            display.Report(new DownloadProgress("vgg19-keras", total * i / 100, total, now));
        }
        var output = Assert.Single(target.Outputs);
        Assert.InRange(output.Count, 4, 6); // first, one per 250 ms, and the last
        Assert.StartsWith("Downloading vgg19-keras", (string)output[0]);
        Assert.Equal("Downloaded vgg19-keras ██████████████████████████████ 80.0 / 80.0 MB (100%), 80.0 MB/s", (string)output[^1]);
        Assert.Equal(display.Shown, output.Cast<string>());
    }

    [Fact]
    public void NoReportShowsNothing()
    {
        var target = new RecordingDisplay();
        _ = new DownloadDisplay(target);
        Assert.Empty(target.Outputs);
    }

    [Fact]
    public void UnknownSizeShowsMegabytesAndSpeed()
    {
        string line = DownloadDisplay.Line(new DownloadProgress("painting", 3 << 20, null, TimeSpan.FromSeconds(2)));
        Assert.Equal("Downloading painting: 3.0 MB, 1.5 MB/s", line);
    }

    [Fact]
    public void AResumedDownloadStartsPartWay()
    {
        string line = DownloadDisplay.Line(new DownloadProgress("w", 40L << 20, 80L << 20, TimeSpan.FromSeconds(1)));
        Assert.Contains("███████████████░░░░░░░░░░░░░░░ 40.0 / 80.0 MB (50%)", line);
    }
}
