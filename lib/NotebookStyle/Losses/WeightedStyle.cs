using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>One style image of a blend and how much it counts (weights are normalised over the blend).</summary>
/// <param name="Image">RGB [0, 1] tensor [1, 3, H, W].</param>
/// <param name="Weight">Its share, ≥ 0; a style with weight 0 adds nothing (and costs nothing).</param>
public sealed record WeightedStyle(Tensor Image, double Weight)
{
    /// <summary>The weights divided by their sum, in the blend's order (<see cref="BlendWeights.Normalize"/>).</summary>
    /// <exception cref="NotebookStyleException">No style, a negative or non-finite weight, or all weights 0.</exception>
    public static double[] Normalize(IReadOnlyList<WeightedStyle> styles) => BlendWeights.Normalize([.. styles.Select(s => s.Weight)]);
}
