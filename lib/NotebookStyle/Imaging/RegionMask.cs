using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// A region's soft mask, the one place that checks a map and brings it to another size: the losses' layer masks, the
/// driver's kept pixels, the region-restricted quality figures and the per-region colour match all read it from here.
/// A mask value is a mass (how much of a cell belongs to the region), so it is resampled by area: each cell of the new
/// grid takes the mean of the cells it covers. Shrinking then keeps each region's size Σm (in units of the cell) and
/// keeps thin regions alive at coarse layers, where a bilinear resize samples a few pixels per cell and may miss a
/// stripe or double it; enlarging gives each new cell the value of the cell it lies in (blending the two it straddles),
/// with no overshoot outside [0, 1].
/// </summary>
public static class RegionMask
{
    /// <summary>
    /// A checked copy of <paramref name="mask"/> as [1, 1, H, W] of <paramref name="dtype"/> on <paramref name="device"/>
    /// (null: the mask's own), clamped to [0, 1].
    /// </summary>
    /// <exception cref="NotebookStyleException">Another shape than [1, 1, H, W] or [H, W], or values outside [0, 1].</exception>
    public static Tensor Checked(Tensor mask, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var m = mask.detach();
        if (m.dim() == 2) m = m.unsqueeze(0).unsqueeze(0);
        if (m.dim() != 4 || m.shape[0] != 1 || m.shape[1] != 1)
            throw new NotebookStyleException($"A region mask is [1, 1, H, W] or [H, W], got [{string.Join(", ", mask.shape)}].");
        if (m.numel() == 0) throw new NotebookStyleException("A region mask needs at least one pixel.");
        if (m.min().ToDouble() < -1e-6 || m.max().ToDouble() > 1 + 1e-6)
            throw new NotebookStyleException("A region mask's values must be in [0, 1].");
        return m.to(device ?? m.device).to_type(dtype).clamp(0, 1).contiguous().clone().MoveToOuterDisposeScope();
    }

    /// <summary>A checked [1, 1, H, W] mask (<see cref="Checked"/>) at <paramref name="height"/> × <paramref name="width"/>, by area (a copy either way).</summary>
    public static Tensor Resize(Tensor mask, long height, long width)
    {
        using var _ = no_grad();
        if (mask.shape[2] == height && mask.shape[3] == width) return mask.clone();
        using var resized = nn.functional.interpolate(mask, [height, width], mode: InterpolationMode.Area);
        return resized.clamp(0, 1).contiguous();
    }

    /// <summary>
    /// <paramref name="mask"/> checked and brought to <paramref name="height"/> × <paramref name="width"/>: [1, 1, H, W]
    /// of <paramref name="dtype"/> on <paramref name="device"/> (null: the mask's own).
    /// </summary>
    /// <exception cref="NotebookStyleException">Another shape than [1, 1, H, W] or [H, W], or values outside [0, 1].</exception>
    public static Tensor At(Tensor mask, long height, long width, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        using var checkedMask = Checked(mask, dtype, device);
        return Resize(checkedMask, height, width);
    }
}
