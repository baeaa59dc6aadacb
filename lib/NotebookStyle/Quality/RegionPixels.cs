using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// A region of an image for the quality figures: a soft mask ([1, 1, h, w] or [h, w], values in [0, 1], any size) brought
/// to the image's size, and the pixels that belong to it (mask ≥ ½: the region's own half of a soft border).
/// </summary>
internal static class RegionPixels
{
    /// <summary>The mask at <paramref name="like"/>'s height and width as float64 [1, 1, H, W] on the CPU (bilinear when resized).</summary>
    /// <exception cref="NotebookStyleException">Not a single-channel mask, or values outside [0, 1].</exception>
    public static Tensor MaskAt(Tensor mask, Tensor like)
    {
        using var scope = NewDisposeScope();
        var m = mask.detach().to(CPU).to_type(ScalarType.Float64);
        if (m.dim() == 2) m = m.unsqueeze(0).unsqueeze(0);
        if (m.dim() != 4 || m.shape[0] != 1 || m.shape[1] != 1)
            throw new NotebookStyleException($"A region mask is [1, 1, H, W] or [H, W], got [{string.Join(", ", mask.shape)}].");
        if (m.min().ToDouble() < -1e-6 || m.max().ToDouble() > 1 + 1e-6)
            throw new NotebookStyleException("A region mask's values must be in [0, 1].");
        long height = like.shape[^2], width = like.shape[^1];
        if (m.shape[2] != height || m.shape[3] != width)
            m = nn.functional.interpolate(m, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return m.clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The RGB values of <paramref name="image"/>'s pixels inside the region, float64 [3, K] on the CPU.</summary>
    /// <exception cref="NotebookStyleException">No pixel of the image belongs to the region.</exception>
    public static Tensor Select(Tensor image, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var inside = MaskAt(mask, image).reshape(-1).ge(0.5);
        long count = inside.sum().ToInt64();
        if (count == 0)
            throw new NotebookStyleException($"The region covers no pixel of this {image.shape[^1]}×{image.shape[^2]} image (no mask value ≥ 0.5).");
        var pixels = image.detach().to(CPU).to_type(ScalarType.Float64).reshape(3, -1);
        return pixels.index_select(1, inside.nonzero().reshape(-1)).MoveToOuterDisposeScope();
    }
}
