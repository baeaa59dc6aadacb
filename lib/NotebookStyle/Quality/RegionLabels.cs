using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// The hard label map of a set of (soft) region masks, for the figures that need to know where one region ends and the
/// next begins (<see cref="BorderStep"/>): each pixel takes the index of the mask with the largest value there, or
/// <c>masks.Count</c> where the masks together cover less than half of it (the part no region covers: the photo is kept).
/// </summary>
public static class RegionLabels
{
    /// <summary>Int64 [H, W] labels from masks [1, 1, H, W] or [H, W] of one size (values in [0, 1]).</summary>
    /// <exception cref="NotebookStyleException">No mask, or masks of different sizes.</exception>
    public static Tensor FromMasks(IReadOnlyList<Tensor> masks)
    {
        if (masks.Count == 0) throw new NotebookStyleException("Give at least one region mask.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long height = masks[0].shape[^2], width = masks[0].shape[^1];
        if (masks.Any(m => m.shape[^2] != height || m.shape[^1] != width))
            throw new NotebookStyleException("The region masks must all have one size.");
        var stacked = stack([.. masks.Select(m => MaskWeights.At(m, height, width, CPU))]);     // [R, H, W]
        var labels = stacked.argmax(0);
        var uncovered = stacked.sum(0, keepdim: false).lt(0.5);
        return labels.masked_fill(uncovered, masks.Count).MoveToOuterDisposeScope();
    }
}
