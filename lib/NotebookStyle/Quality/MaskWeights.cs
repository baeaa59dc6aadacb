using NotebookStyle.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// A region mask as per-pixel weights for the region-restricted figures: [1, 1, H, W] or [H, W], values in [0, 1] (a
/// hard 0/1 mask or a soft one), checked and brought to the image's size by <see cref="RegionMask"/> (by area).
/// </summary>
internal static class MaskWeights
{
    /// <summary>The mask at <paramref name="height"/> × <paramref name="width"/> as float64 [H, W] on <paramref name="device"/>.</summary>
    /// <exception cref="NotebookStyleException">Another shape, values outside [0, 1], or a mask that is 0 everywhere.</exception>
    public static Tensor At(Tensor mask, long height, long width, Device device)
    {
        using var scope = NewDisposeScope();
        var m = RegionMask.At(mask, height, width, ScalarType.Float64, device).reshape(height, width);
        if (m.sum().ToDouble() <= 0) throw new NotebookStyleException("The region mask is empty: it selects no pixel.");
        return m.MoveToOuterDisposeScope();
    }
}
