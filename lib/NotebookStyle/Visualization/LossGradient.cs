using NotebookStyle.Losses;
using NotebookStyle.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>Where a loss pulls the pixels: the gradient of one loss with respect to the image, and a picture of it.</summary>
public static class LossGradient
{
    /// <summary>∂loss/∂image for an RGB [0, 1] image [1, 3, H, W]; the result has the image's shape, on the CPU.</summary>
    public static Tensor Of(FeatureExtractor network, Loss loss, Tensor image)
    {
        using var scope = NewDisposeScope();
        var x = image.detach().to(network.Device).requires_grad_(true);
        var taps = loss.Layer is { } l ? new[] { l } : [];
        var features = network.ExtractRgb(x, taps);
        var value = loss.Compute(x, features);
        value.backward();
        return x.grad!.detach().cpu().clone().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The gradient's size per pixel (the length of its RGB vector), scaled so the 99th percentile is the brightest
    /// colour: bright where changing the pixel changes the loss most.
    /// </summary>
    public static Image<Rgb24> Render(Tensor gradient, ColorMap? colors = null)
    {
        colors ??= ColorMap.Viridis;
        using var scope = NewDisposeScope();
        var g = gradient.detach().cpu().to_type(ScalarType.Float32);
        if (g.dim() == 4) g = g[0];
        if (g.dim() != 3) throw new NotebookStyleException($"Expected an image gradient [1, 3, H, W], got [{string.Join(", ", gradient.shape)}].");
        // sum(new long[] { 0 }), not sum(0): a literal 0 converts to the ScalarType overload and sums everything.
        var magnitude = g.square().sum(new long[] { 0 }).sqrt();
        int h = (int)magnitude.shape[0], w = (int)magnitude.shape[1];
        float[] m = magnitude.contiguous().data<float>().ToArray();
        float[] sorted = (float[])m.Clone();
        Array.Sort(sorted);
        double top = Math.Max(sorted[(int)Math.Min(sorted.Length - 1, Math.Round(0.99 * (sorted.Length - 1)))], 1e-30);
        var image = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            image[x, y] = colors.Map(m[y * w + x] / top);
        return image;
    }
}
