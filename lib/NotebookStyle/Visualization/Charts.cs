using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>The charts the lessons use, built from the library's own records.</summary>
public static class Charts
{
    private static readonly string[] TermOrder = ["content", "style", "tv"];

    /// <summary>One line per loss term (and the total) against the iteration, on a log scale.</summary>
    public static LineFigure LossCurves(IEnumerable<StyleTransferProgress> history, string title = "Loss per term", bool includeTotal = true)
    {
        var h = history.ToList();
        var x = h.Select(p => (double)p.Iteration).ToList();
        var terms = h.SelectMany(p => p.Loss.Terms.Keys).Distinct()
            .OrderBy(t => Array.IndexOf(TermOrder, t) is var i && i < 0 ? int.MaxValue : i).ThenBy(t => t, StringComparer.Ordinal).ToList();
        var series = terms.Select(t => new Series(t, x, h.Select(p => p.Loss[t]).ToList())).ToList();
        if (includeTotal || series.Count == 0) series.Add(new Series("total", x, h.Select(p => p.Loss.Total).ToList()));
        return new LineFigure(title, series, "iteration", "weighted loss (log scale)", logY: true) { IntegerX = true };
    }

    /// <summary>The total loss of several runs against loss-and-gradient evaluations (fair between L-BFGS and Adam).</summary>
    public static LineFigure CompareRuns(IEnumerable<(string Name, StyleTransferResult Result)> runs, string title = "Total loss per evaluation") =>
        new(title, runs.Select(r => new Series(r.Name, r.Result.History.Select(p => (double)p.Evaluations).ToList(),
            r.Result.History.Select(p => p.Loss.Total).ToList())).ToList(), "loss-and-gradient evaluations", "total loss (log scale)", logY: true) { IntegerX = true };

    /// <summary>
    /// The Gram matrices of two feature maps of one layer (e.g. the content's and the style's), the first
    /// <paramref name="channels"/> channels, on one colour scale. Shown divided by M = H·W (a mean over positions, for
    /// display only) so that images of different sizes compare.
    /// </summary>
    public static HeatmapFigure GramMatrices(Tensor contentFeatures, Tensor styleFeatures, string layer, int channels = 32,
        string firstName = "content", string secondName = "style") =>
        new($"Gram matrices at {layer} (first {Math.Min(channels, contentFeatures.shape[^3])} channels, divided by H·W)",
            [(firstName, NormalizedGram(contentFeatures, channels)), (secondName, NormalizedGram(styleFeatures, channels))]);

    /// <summary>G / M for the first <paramref name="channels"/> channels, as a matrix.</summary>
    public static double[,] NormalizedGram(Tensor features, int channels = 32)
    {
        using var scope = NewDisposeScope();
        var (n, m) = GramMatrix.Size(features);
        int k = (int)Math.Min(channels, n);
        using var g = GramMatrix.Compute(features.detach().cpu().to_type(ScalarType.Float32));
        return HeatmapImage.ToMatrix(g[..k, ..k].div(m));
    }

    /// <summary>One statistic per layer, content and style (or any named sets) side by side.</summary>
    public static BarFigure ActivationStatistics(IEnumerable<(string Name, IReadOnlyList<LayerStatistics> Layers)> sets,
        ActivationMeasure measure = ActivationMeasure.Mean, bool logY = false)
    {
        var list = sets.ToList();
        if (list.Count == 0) throw new NotebookStyleException("Give at least one set of statistics.");
        var layers = list[0].Layers.Select(l => l.Layer).ToList();
        var series = list.Select(s => Series.Of(s.Name, layers.Select(l =>
            s.Layers.FirstOrDefault(x => x.Layer == l) is { } st ? st.Value(measure) : double.NaN).ToList())).ToList();
        string what = measure switch
        {
            ActivationMeasure.Mean => "mean activation",
            ActivationMeasure.Std => "standard deviation",
            ActivationMeasure.Max => "largest activation",
            _ => "share of zeros",
        };
        return new BarFigure($"{char.ToUpperInvariant(what[0])}{what[1..]} per layer", layers, series, what, logY);
    }

    /// <summary>Content and style statistics side by side.</summary>
    public static BarFigure ActivationStatistics(IReadOnlyList<LayerStatistics> content, IReadOnlyList<LayerStatistics> style,
        ActivationMeasure measure = ActivationMeasure.Mean, bool logY = false) =>
        ActivationStatistics([("content", content), ("style", style)], measure, logY);
}
