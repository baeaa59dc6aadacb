using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// Colour handling around style transfer, on RGB [0, 1] tensors [1, 3, H, W]:
/// <see cref="MatchPalette"/> gives the content the style's colour statistics (mean and covariance),
/// <see cref="PreserveColors"/> puts the content's chroma back under the result's luminance (neural-style's
/// <c>-original_colors</c>), <see cref="Luminance"/> is the Rec. 601 luma.
/// </summary>
public static class ColorTransfer
{
    /// <summary>
    /// Recolours <paramref name="image"/> so its pixels have the RGB mean and covariance of <paramref name="palette"/>:
    /// x' = (x − μc)·Cc^(−1/2)·Cs^(1/2) + μs, clamped to [0, 1] (Gatys et al. 2017, "Controlling perceptual factors", colour matching).
    /// </summary>
    public static Tensor MatchPalette(Tensor image, Tensor palette)
    {
        using var scope = NewDisposeScope();
        var x = Pixels(image);
        var (mc, cc) = Stats(x);
        var (ms, cs) = Stats(Pixels(palette));
        var transform = MatrixPower(cc, -0.5).matmul(MatrixPower(cs, 0.5));
        var y = x.sub(mc).matmul(transform).add(ms).clamp(0, 1);
        return FromPixels(y, image).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Keeps the luminance of <paramref name="stylised"/> and the chroma (YIQ I and Q) of <paramref name="content"/>;
    /// <paramref name="content"/> is resized to the result's size if needed.
    /// </summary>
    public static Tensor PreserveColors(Tensor stylised, Tensor content)
    {
        using var scope = NewDisposeScope();
        var c = content.shape[2] == stylised.shape[2] && content.shape[3] == stylised.shape[3]
            ? content
            : nn.functional.interpolate(content, [stylised.shape[2], stylised.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        var toYiq = tensor(new float[] { 0.299f, 0.587f, 0.114f, 0.595716f, -0.274453f, -0.321263f, 0.211456f, -0.522591f, 0.311135f }, [3, 3])
            .to(stylised.device).to_type(stylised.dtype);
        var fromYiq = linalg.inv(toYiq);
        var ys = Yiq(stylised, toYiq);
        var yc = Yiq(c, toYiq);
        var mixed = cat([ys[.., 0..1], yc[.., 1..3]], 1);
        var rgb = einsum("ij,bjhw->bihw", fromYiq, mixed).clamp(0, 1);
        return rgb.MoveToOuterDisposeScope();
    }

    /// <summary>Rec. 601 luma of an RGB image: [1, 1, H, W].</summary>
    public static Tensor Luminance(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 0.299f, 0.587f, 0.114f }).to(rgb.device).to_type(rgb.dtype).view(1, 3, 1, 1);
        return rgb.mul(w).sum(1, keepdim: true).MoveToOuterDisposeScope();
    }

    private static Tensor Yiq(Tensor rgb, Tensor m) => einsum("ij,bjhw->bihw", m, rgb);

    // [1, 3, H, W] → [H·W, 3] in float64 (covariances of 8-bit images are ill-conditioned in float32).
    private static Tensor Pixels(Tensor image) => image.detach().to_type(ScalarType.Float64).reshape(3, -1).t();

    private static Tensor FromPixels(Tensor pixels, Tensor like) =>
        pixels.t().reshape(like.shape).to_type(like.dtype).contiguous();

    private static (Tensor Mean, Tensor Cov) Stats(Tensor pixels)
    {
        var mean = pixels.mean([0], keepdim: true);
        var centred = pixels.sub(mean);
        // A small ridge keeps flat (e.g. grey) images invertible.
        var cov = centred.t().matmul(centred).div(Math.Max(1, pixels.shape[0] - 1)).add(eye(3, dtype: ScalarType.Float64, device: pixels.device).mul(1e-5));
        return (mean, cov);
    }

    private static Tensor MatrixPower(Tensor symmetric, double power)
    {
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.matmul(diag(values.clamp_min(1e-10).pow(power))).matmul(vectors.t());
    }
}
