using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// <see cref="Ssim"/> over one region: the mean of the luminance SSIM map weighted by the mask at each window's centre
/// pixel (a hard mask averages the windows centred in the region; a soft one weights them). Windows centred within 5
/// pixels of the image's edge are not part of the map, as in <see cref="Ssim.Luminance"/>.
/// </summary>
public static class RegionSsim
{
    /// <summary>SSIM of the luminance of <paramref name="a"/> and <paramref name="b"/> over <paramref name="mask"/> (resized to <paramref name="a"/>).</summary>
    /// <exception cref="NotebookStyleException">A mask of another shape, with values outside [0, 1], or none of whose weight falls on a window centre.</exception>
    public static double Luminance(Tensor a, Tensor b, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var map = Ssim.Map(a, b);
        long h = a.shape[2], w = a.shape[3];
        var weights = MaskWeights.At(mask, h, w, map.device).narrow(0, 5, h - 10).narrow(1, 5, w - 10);
        double total = weights.sum().ToDouble();
        if (total <= 0) throw new NotebookStyleException("The region mask has no weight more than 5 pixels from the image's edge, where SSIM is defined.");
        return map.reshape(h - 10, w - 10).mul(weights).sum().ToDouble() / total;
    }
}
