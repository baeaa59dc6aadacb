using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp.PixelFormats;
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
    public void StaticChartsKeepTitlesAxisTitlesAndLegends()
    {
        var line = Charts.LossCurves(History(30)).ToScottPlot();
        Assert.Equal("Loss per term", line.Axes.Title.Label.Text);
        Assert.Equal("iteration", line.Axes.Bottom.Label.Text);
        Assert.Equal("weighted loss (log scale)", line.Axes.Left.Label.Text);
        Assert.Equal(new[] { "content", "style", "tv", "total" }, line.Legend.GetItems().Select(i => i.LabelText));

        var bars = new BarFigure("Stats", ["relu1", "relu2", "relu3"], [Series.Of("content", [1.0, 2, 3]), Series.Of("style", [2.0, 1, 0.5])], "mean").ToScottPlot();
        Assert.Equal("Stats", bars.Axes.Title.Label.Text);
        Assert.Equal("mean", bars.Axes.Left.Label.Text);
        Assert.Equal(new[] { "content", "style" }, bars.Legend.GetItems().Select(i => i.LabelText));
        bars.GetImageBytes(400, 300, ScottPlot.ImageFormat.Png);
        Assert.Equal(new[] { "relu1", "relu2", "relu3" }, bars.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label));
        // Bars of a series in Plotly's first two trace colours.
        var plotted = bars.GetPlottables<ScottPlot.Plottables.BarPlot>().ToList();
        Assert.Equal(ScottPlot.Color.FromHex("#1f77b4"), plotted[0].Bars[0].FillColor);
        Assert.Equal(ScottPlot.Color.FromHex("#ff7f0e"), plotted[1].Bars[0].FillColor);
    }

    [Fact]
    public void LogAxesPlotLogarithmsAndLabelThePowersOfTen()
    {
        var fig = new LineFigure("log", [new Series("a", [1.0, 2, 3, 4], [0.01, -1, 10, 100])], logY: true);
        var plot = fig.ToScottPlot();
        // The non-positive value splits the line: two pieces, one legend entry.
        var lines = plot.GetPlottables<ScottPlot.Plottables.Scatter>().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(new[] { -2.0 }, lines[0].Data.GetScatterPoints().Select(p => Math.Round(p.Y, 9)));
        Assert.Equal(new[] { 1.0, 2 }, lines[1].Data.GetScatterPoints().Select(p => Math.Round(p.Y, 9)));
        Assert.Single(plot.Legend.GetItems());
        plot.GetImageBytes(400, 300, ScottPlot.ImageFormat.Png);
        var labels = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.Contains("0.01", labels);
        Assert.Contains("1", labels);
        Assert.Contains("100", labels);
        Assert.DoesNotContain("0.5", labels);
        // Within about a decade: round numbers at 2 and 5 as well, never 10^0.6.
        var shortRange = new LineFigure("short", [new Series("a", [1.0, 2], [4.0, 40])], logY: true).ToScottPlot();
        shortRange.GetImageBytes(400, 300, ScottPlot.ImageFormat.Png);
        var shortLabels = shortRange.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.Contains("5", shortLabels);
        Assert.Contains("10", shortLabels);
        Assert.Contains("20", shortLabels);
        Assert.All(shortLabels, l => Assert.Matches("^[125]0*$", l));
    }

    [Fact]
    public void HeatmapsShowRowZeroAtTheTop()
    {
        // Only entry [0, 0] is high: its colour must sit above the low colour in the left half of the panel.
        var fig = new HeatmapFigure("m", [("z", new double[,] { { 1, 0 }, { 0, 0 } })]) { Width = 400, Height = 300 };
        using var img = fig.ToImage();
        Rgb24 high = ColorMap.Viridis.Map(1), low = ColorMap.Viridis.Map(0);
        var highPixels = new List<(int X, int Y)>();
        for (int y = 0; y < img.Height; y++)
        for (int x = 0; x < img.Width / 2; x++)
            if (img[x, y] == high) highPixels.Add((x, y));
        Assert.NotEmpty(highPixels);
        // In the columns of the high cell, the low cell (row 1) lies wholly below it.
        int x0 = highPixels.Min(p => p.X), x1 = highPixels.Max(p => p.X);
        var highRows = highPixels.Select(p => p.Y).ToList();
        var lowRows = new List<int>();
        for (int y = 0; y < img.Height; y++)
        for (int x = x0; x <= x1; x++)
            if (img[x, y] == low) lowRows.Add(y);
        Assert.NotEmpty(lowRows);
        Assert.True(highRows.Average() < lowRows.Average());
        // And the row numbers grow downwards, as in the interactive chart.
        var plot = fig.ToScottPlots()[0];
        plot.GetImageBytes(400, 300, ScottPlot.ImageFormat.Png);
        var limits = plot.Axes.GetLimits();
        Assert.True(limits.Top < limits.Bottom);
        Assert.True(highRows.Max() <= lowRows.Min() + 1);
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

    [Theory]
    [InlineData(4, 1.0)]
    [InlineData(12, 2.0)]
    [InlineData(20, 5.0)]
    [InlineData(200, 50.0)]
    [InlineData(319, 50.0)]
    public void CountsOnTheXAxisHaveWholeNumberTicks(int last, double step)
    {
        var xs = Enumerable.Range(0, last + 1).Select(i => (double)i).ToList();
        var fig = new LineFigure("loss", [new Series("total", xs, xs.Select(x => 1 + x).ToList())], logY: true) { IntegerX = true };
        Assert.Equal(step, fig.IntegerTickStep);
        string json = Plotly.NET.GenericChart.toChartHTML(fig.ToPlotly());
        Assert.Contains("\"dtick\":" + step.ToString(System.Globalization.CultureInfo.InvariantCulture), json.Replace(" ", ""));
        var generator = Assert.IsType<ScottPlot.TickGenerators.NumericFixedInterval>(fig.ToScottPlot().Axes.Bottom.TickGenerator);
        Assert.Equal(step, generator.Interval);
        using var picture = fig.ToImage();
    }

    [Fact]
    public void TheLossChartsCountWholeIterationsAndEvaluations()
    {
        var history = Enumerable.Range(1, 3).Select(i => new StyleTransferProgress(i, i, new LossTerms(new Dictionary<string, double> { ["style"] = 1.0 / i }, 1.0 / i), TimeSpan.Zero, null)).ToList();
        Assert.True(Charts.LossCurves(history).IntegerX);
    }
}
