using NotebookStyle.Losses;
using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks;

public class LiveProgressTests
{
    private static StyleTransferProgress Step(int i, Tensor? image) =>
        new(i, i * 2, new LossTerms(new Dictionary<string, double> { ["content"] = 1, ["style"] = 10.0 / i }, 1 + 10.0 / i), TimeSpan.FromSeconds(i), image);

    [Fact]
    public void ThreeOutputsUpdatedInPlace()
    {
        Torch.Ready();
        var target = new RecordingDisplay();
        using var start = rand(1, 3, 8, 8);
        var live = LiveProgress.Show(start, imageEvery: 2, target: target);
        Assert.Equal(3, target.Outputs.Count);
        // Until the first iteration the chart's place says so: no made-up point such as (0, 1) on the chart.
        Assert.Contains("after the first iteration", Assert.IsType<string>(target.Outputs[2][0]));
        Assert.Equal(2, live.Configure(new StyleTransferSettings()).ImageEvery);
        for (int i = 1; i <= 4; i++)
        {
            using var snap = i % 2 == 0 ? rand(1, 3, 8, 8) : null;
            live.Report(Step(i, snap));
        }
        Assert.Equal(1 + 4, target.Outputs[0].Count);
        Assert.Equal(1 + 2, target.Outputs[1].Count);
        Assert.All(target.Outputs[1], o => Assert.IsType<Image<Rgb24>>(o));
        Assert.Equal(1 + 2, target.Outputs[2].Count);
        var chart = Assert.IsType<LineFigure>(target.Outputs[2][^1]);
        Assert.Equal(4, chart.Series[0].X.Count);
        Assert.True(chart.IntegerX, "the iteration axis has whole-number ticks");
        Assert.Equal(1, chart.IntegerTickStep);
        Assert.All(live.History, p => Assert.Null(p.Image));
        Assert.Contains("iteration 4 (8 evaluations)", (string)target.Outputs[0][^1]);

        using var result = new StyleTransferResult(rand(1, 3, 8, 8), Step(1, null).Loss, Step(4, null).Loss, 4, 8, TimeSpan.FromSeconds(4), StopReason.Iterations, live.History);
        live.Complete(result);
        Assert.StartsWith("done 4", (string)target.Outputs[0][^1]);
    }

    [Fact]
    public void ABadImageIntervalIsANamedError() =>
        Assert.Throws<NotebookStyleException>(() => LiveProgress.Show(imageEvery: 0, target: new RecordingDisplay()));
}
