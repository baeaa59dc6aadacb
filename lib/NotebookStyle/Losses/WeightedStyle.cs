using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>One style image of a blend and how much it counts (weights are normalised over the blend).</summary>
/// <param name="Image">RGB [0, 1] tensor [1, 3, H, W].</param>
/// <param name="Weight">Its share, ≥ 0; a style with weight 0 adds nothing (and costs nothing).</param>
public sealed record WeightedStyle(Tensor Image, double Weight)
{
    /// <summary>
    /// The weights divided by their sum, in the blend's order. They are divided by the largest first, so that weights
    /// near the largest double (1e308, 1e308) do not overflow the sum.
    /// </summary>
    /// <exception cref="NotebookStyleException">No style, a negative or non-finite weight, or all weights 0.</exception>
    public static double[] Normalize(IReadOnlyList<WeightedStyle> styles)
    {
        if (styles.Count == 0) throw new NotebookStyleException("Give at least one style image.");
        foreach (var s in styles)
            if (!(s.Weight >= 0) || double.IsInfinity(s.Weight))
                throw new NotebookStyleException($"Style blend weights must be finite and ≥ 0, got {s.Weight}.");
        double largest = styles.Max(s => s.Weight);
        if (largest <= 0) throw new NotebookStyleException("At least one style blend weight must be above 0.");
        double sum = styles.Sum(s => s.Weight / largest);
        return [.. styles.Select(s => s.Weight / largest / sum)];
    }
}
