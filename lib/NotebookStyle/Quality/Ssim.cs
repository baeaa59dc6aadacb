using NotebookStyle.Imaging;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>
/// Structural similarity (Wang et al. 2004) of the luminance of two RGB [0, 1] images: 11×11 Gaussian window,
/// σ = 1.5, K1 = 0.01, K2 = 0.03, averaged over valid positions. 1 = identical structure. The second image is
/// resized to the first's size if needed.
/// </summary>
public static class Ssim
{
    /// <summary>Mean SSIM of the luminance of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static double Luminance(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        using var map = Map(a, b);
        return map.mean().item<double>();
    }

    /// <summary>
    /// The SSIM map of the luminance of <paramref name="a"/> and <paramref name="b"/>, float64 [1, 1, H − 10, W − 10]:
    /// entry (i, j) is the SSIM of the 11×11 window centred on pixel (i + 5, j + 5) of <paramref name="a"/>.
    /// </summary>
    public static Tensor Map(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = ColorTransfer.Luminance(a.detach().to_type(ScalarType.Float64));
        var y = ColorTransfer.Luminance(Match(b, a).to_type(ScalarType.Float64).to(x.device));
        if (x.shape[2] < 11 || x.shape[3] < 11) throw new NotebookStyleException("SSIM needs images of at least 11×11 pixels.");
        var g = arange(11, dtype: ScalarType.Float64, device: x.device).sub(5).square().div(-2 * 1.5 * 1.5).exp();
        g = g.div(g.sum());
        var w = g.unsqueeze(1).matmul(g.unsqueeze(0)).view(1, 1, 11, 11);
        Tensor Blur(Tensor t) => nn.functional.conv2d(t, w);
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        var mx = Blur(x); var my = Blur(y);
        var sxx = Blur(x.mul(x)).sub(mx.mul(mx));
        var syy = Blur(y.mul(y)).sub(my.mul(my));
        var sxy = Blur(x.mul(y)).sub(mx.mul(my));
        var map = mx.mul(my).mul(2).add(c1).mul(sxy.mul(2).add(c2))
            .div(mx.square().add(my.square()).add(c1).mul(sxx.add(syy).add(c2)));
        return map.MoveToOuterDisposeScope();
    }

    internal static Tensor Match(Tensor b, Tensor like) =>
        b.shape[2] == like.shape[2] && b.shape[3] == like.shape[3]
            ? b.detach()
            : nn.functional.interpolate(b.detach(), [like.shape[2], like.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
}
