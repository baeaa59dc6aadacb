using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>Summary numbers of one layer's activations for one image.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Channels">Channels N.</param>
/// <param name="Height">Height of the maps.</param>
/// <param name="Width">Width of the maps.</param>
/// <param name="Mean">Mean activation.</param>
/// <param name="Std">Standard deviation (population).</param>
/// <param name="Max">Largest activation.</param>
/// <param name="FractionZero">Share of activations that are exactly 0 (after a ReLU: how sparse the layer is).</param>
public sealed record LayerStatistics(string Layer, long Channels, long Height, long Width, double Mean, double Std, double Max, double FractionZero);

/// <summary>Which number an activation-statistics chart shows.</summary>
public enum ActivationMeasure
{
    /// <summary>Mean activation.</summary>
    Mean,
    /// <summary>Standard deviation.</summary>
    Std,
    /// <summary>Largest activation.</summary>
    Max,
    /// <summary>Share of zeros.</summary>
    FractionZero,
}

/// <summary>Per-layer statistics of tapped activations.</summary>
public static class ActivationStatistics
{
    /// <summary>Statistics of each tapped layer, in the dictionary's order.</summary>
    public static IReadOnlyList<LayerStatistics> Compute(IReadOnlyDictionary<string, Tensor> features)
    {
        var result = new List<LayerStatistics>();
        using var _ = no_grad();
        foreach (var (layer, f) in features)
        {
            using var scope = NewDisposeScope();
            var x = f.detach().to_type(ScalarType.Float64);
            long[] s = f.shape;
            result.Add(new LayerStatistics(layer, s.Length >= 3 ? s[^3] : 1, s.Length >= 2 ? s[^2] : 1, s[^1],
                x.mean().item<double>(), x.std(unbiased: false).item<double>(), x.max().item<double>(),
                x.eq(0).to_type(ScalarType.Float64).mean().item<double>()));
        }
        return result;
    }

    /// <summary>The chosen number of a statistics record.</summary>
    public static double Value(this LayerStatistics s, ActivationMeasure measure) => measure switch
    {
        ActivationMeasure.Mean => s.Mean,
        ActivationMeasure.Std => s.Std,
        ActivationMeasure.Max => s.Max,
        ActivationMeasure.FractionZero => s.FractionZero,
        _ => throw new ArgumentOutOfRangeException(nameof(measure)),
    };
}
