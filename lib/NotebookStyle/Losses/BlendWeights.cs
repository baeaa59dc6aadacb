namespace NotebookStyle.Losses;

/// <summary>The weights of a blend of styles: checked here, once, for every blend (images, style terms, regions).</summary>
public static class BlendWeights
{
    /// <summary>The weights divided by their sum, in the blend's order.</summary>
    /// <exception cref="NotebookStyleException">No weight, a negative or non-finite weight, or all weights 0.</exception>
    public static double[] Normalize(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0) throw new NotebookStyleException("Give at least one style image.");
        foreach (var w in weights)
            if (!(w >= 0) || double.IsInfinity(w))
                throw new NotebookStyleException($"Style blend weights must be finite and ≥ 0, got {w}.");
        double sum = weights.Sum();
        if (sum <= 0) throw new NotebookStyleException("At least one style blend weight must be above 0.");
        return [.. weights.Select(w => w / sum)];
    }
}
