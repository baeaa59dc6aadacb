using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// A region mask as per-pixel weights for the region-restricted figures: [1, 1, H, W] or [H, W], values in [0, 1] (a
/// hard 0/1 mask or a soft one), brought to the image's size (area average when shrinking, bilinear otherwise).
/// </summary>
internal static class MaskWeights
{
    /// <summary>The mask at <paramref name="height"/> × <paramref name="width"/> as float64 [H, W] on <paramref name="device"/>.</summary>
    /// <exception cref="NotebookStyleException">Another shape, values outside [0, 1], or a mask that is 0 everywhere.</exception>
    public static Tensor At(Tensor mask, long height, long width, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var m = mask.detach().to(device).to_type(ScalarType.Float64);
        if (m.dim() == 2) m = m.unsqueeze(0).unsqueeze(0);
        if (m.dim() != 4 || m.shape[0] != 1 || m.shape[1] != 1)
            throw new NotebookStyleException($"A region mask is [1, 1, H, W] or [H, W], got [{string.Join(", ", mask.shape)}].");
        if (m.min().ToDouble() < -1e-6 || m.max().ToDouble() > 1 + 1e-6)
            throw new NotebookStyleException("A region mask's values must be in [0, 1].");
        if (m.shape[2] != height || m.shape[3] != width)
        {
            bool shrink = m.shape[2] >= height && m.shape[3] >= width;
            m = shrink
                ? nn.functional.interpolate(m, [height, width], mode: InterpolationMode.Area)
                : nn.functional.interpolate(m, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        m = m.clamp(0, 1).reshape(height, width);
        if (m.sum().ToDouble() <= 0) throw new NotebookStyleException("The region mask is empty: it selects no pixel.");
        return m.MoveToOuterDisposeScope();
    }
}
