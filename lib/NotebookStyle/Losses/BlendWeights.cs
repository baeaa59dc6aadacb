namespace NotebookStyle.Losses;

/// <summary>The weights of a blend of styles: checked here, once, for every blend (images, style terms, regions).</summary>
public static class BlendWeights
{
    /// <summary>
    /// The weights divided by their sum, in the blend's order. They are divided by the largest first, so that weights
    /// near the largest double (1e308, 1e308) do not overflow the sum.
    /// </summary>
    /// <exception cref="NotebookStyleException">No weight, a negative or non-finite weight, or all weights 0.</exception>
    public static double[] Normalize(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0) throw new NotebookStyleException("Give at least one style image.");
        foreach (var w in weights)
            if (!(w >= 0) || double.IsInfinity(w))
                throw new NotebookStyleException($"Style blend weights must be finite and ≥ 0, got {w}.");
        double largest = weights.Max();
        if (largest <= 0) throw new NotebookStyleException("At least one style blend weight must be above 0.");
        double sum = weights.Sum(w => w / largest);
        return [.. weights.Select(w => w / largest / sum)];
    }
}
