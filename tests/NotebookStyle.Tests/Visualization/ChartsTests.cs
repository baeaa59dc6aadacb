using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using NotebookStyle.Visualization;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Visualization;

public class ChartsTests
{
    private static List<StyleTransferProgress> History(int n) => Enumerable.Range(1, n).Select(i =>
        new StyleTransferProgress(i, i + 1, new LossTerms(new Dictionary<string, double> { ["tv"] = 0.1, ["style"] = 100.0 / i, ["content"] = i }, 100.0 / i + i + 0.1),
            TimeSpan.FromSeconds(i), null)).ToList();

    [Fact]
    public void LossCurvesHaveOneSeriesPerTermInOrderPlusTotal()
    {
        var fig = Charts.LossCurves(History(5));
        Assert.Equal(new[] { "content", "style", "tv", "total" }, fig.Series.Select(s => s.Name));
        Assert.True(fig.LogY);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5 }, fig.Series[0].X);
        Assert.Equal(20, fig.Series[1].Y[4], 9);
    }

    [Fact]
    public void StaticPicturesHaveTheFigureSizeAndSurviveEdgeCases()
    {
        using var img = Charts.LossCurves(History(30)).ToImage();
        Assert.Equal((720, 400), (img.Width, img.Height));
        // A single point, zeros on a log axis, NaN: still a picture.
        var odd = new LineFigure("odd", [new Series("a", [1.0, 2, 3], [0.0, double.NaN, 5])], logY: true) { Width = 300, Height = 200 };
        using var oddImg = odd.ToImage();
        Assert.Equal(300, oddImg.Width);
        var bars = new BarFigure("b", ["x", "y"], [Series.Of("s", [1.0, -2])]);
        using var barImg = bars.ToImage();
        Assert.Equal(400, barImg.Height);
    }

    [Fact]
    public void MismatchedSeriesAreNamedErrors()
    {
        Assert.Throws<NotebookStyleException>(() => new LineFigure("x", [new Series("a", [1.0], [1.0, 2])]));
        Assert.Throws<NotebookStyleException>(() => new BarFigure("x", ["a", "b"], [Series.Of("s", [1.0])]));
        Assert.Throws<NotebookStyleException>(() => new HeatmapFigure("x", []));
    }

    [Fact]
    public void PlotlyChartsCarryTheSeriesTitleAndScale()
    {
        string line = Plotly.NET.GenericChart.toFigureJson(Charts.LossCurves(History(3)).ToPlotly());
        Assert.Contains("\"content\"", line);
        Assert.Contains("\"total\"", line);
        Assert.Contains("\"log\"", line);
        Assert.Contains("Loss per term", line);
        string bars = Plotly.NET.GenericChart.toFigureJson(new BarFigure("Stats", ["relu1", "relu2"], [Series.Of("content", [1.0, 2])]).ToPlotly());
        Assert.Contains("\"bar\"", bars);
        Assert.Contains("relu2", bars);
    }

    [Fact]
    public void GramHeatmapsAreGramOverPositionsOnOneScale()
    {
        Torch.Ready();
        // Two channels over 2 positions: a = (1, 2), b = (0, 3) → G = [[5, 6], [6, 9]], M = 2.
        using var f = tensor(new float[] { 1, 2, 0, 3 }).reshape(1, 2, 1, 2);
        var z = Charts.NormalizedGram(f);
        Assert.Equal(new double[,] { { 2.5, 3 }, { 3, 4.5 } }, z);
        Assert.Equal(new double[,] { { 2.5 } }, Charts.NormalizedGram(f, channels: 1));
        var fig = Charts.GramMatrices(f, f * 2, "relu1_1");
        Assert.Equal(2, fig.Panels.Count);
        Assert.True(fig.SharedScale);
        using var img = fig.ToImage();
        Assert.Equal(720, img.Width);
        string json = Plotly.NET.GenericChart.toFigureJson(fig.ToPlotly());
        Assert.Contains("\"heatmap\"", json);
        Assert.Contains("\"zmax\":18", json.Replace(" ", ""));
    }

    [Fact]
    public void ActivationStatisticsAreExact()
    {
        Torch.Ready();
        using var a = tensor(new float[] { 0, 0, 2, 6 }).reshape(1, 1, 2, 2);
        using var b = tensor(new float[] { 1, 1, 1, 1, 3, 3, 3, 3 }).reshape(1, 2, 2, 2);
        var stats = ActivationStatistics.Compute(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b });
        Assert.Equal("a", stats[0].Layer);
        Assert.Equal(2, stats[0].Mean, 9);
        Assert.Equal(Math.Sqrt((4 + 4 + 0 + 16) / 4.0), stats[0].Std, 6);
        Assert.Equal(6, stats[0].Max);
        Assert.Equal(0.5, stats[0].FractionZero);
        Assert.Equal((2L, 2L, 2L), (stats[1].Channels, stats[1].Height, stats[1].Width));
        var fig = Charts.ActivationStatistics(stats, stats, ActivationMeasure.FractionZero);
        Assert.Equal(new[] { "a", "b" }, fig.Categories);
        Assert.Equal(new[] { 0.5, 0 }, fig.Series[1].Y);
    }

    [Fact]
    public void HeatmapImageAndMatrixRoundTrip()
    {
        Torch.Ready();
        using var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        var z = HeatmapImage.ToMatrix(t);
        Assert.Equal(6.0, z[1, 2]);
        Assert.Equal((1.0, 6.0), HeatmapImage.Range(z));
        using var img = HeatmapImage.Render(z, cell: 2);
        Assert.Equal((6, 4), (img.Width, img.Height));
        Assert.Equal(ColorMap.Viridis.Map(0), img[0, 0]);
        Assert.Equal(ColorMap.Viridis.Map(1), img[5, 3]);
    }
}
