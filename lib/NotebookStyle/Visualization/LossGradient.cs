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
    /// <param name="gradient">∂loss/∂image [1, 3, H, W] (<see cref="Of"/>).</param>
    /// <param name="colors">The colour map (default Viridis).</param>
    /// <param name="over">
    /// The image the gradient was taken at ([1, 3, H, W], RGB in [0, 1]): drawn in grey under the colours, which are
    /// opaque where the pull is strong and let the picture show where it is weak, so that one sees <em>where</em> on the
    /// picture the loss pulls.
    /// </param>
    public static Image<Rgb24> Render(Tensor gradient, ColorMap? colors = null, Tensor? over = null)
    {
        colors ??= ColorMap.Viridis;
        using var scope = NewDisposeScope();
        var magnitude = Magnitude(gradient);
        int h = (int)magnitude.shape[0], w = (int)magnitude.shape[1];
        float[] m = magnitude.contiguous().data<float>().ToArray();
        float[] sorted = (float[])m.Clone();
        Array.Sort(sorted);
        double top = Math.Max(sorted[(int)Math.Min(sorted.Length - 1, Math.Round(0.99 * (sorted.Length - 1)))], 1e-30);
        float[]? grey = null;
        if (over is not null)
        {
            if (over.dim() != 4 || over.shape[1] != 3 || over.shape[2] != h || over.shape[3] != w)
                throw new NotebookStyleException($"The picture under the gradient must be [1, 3, {h}, {w}], got [{string.Join(", ", over.shape)}].");
            grey = Imaging.ColorTransfer.Luminance(over.detach().cpu().to_type(ScalarType.Float32)).reshape(-1).contiguous().data<float>().ToArray();
        }
        var image = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            double t = Math.Clamp(m[y * w + x] / top, 0, 1);
            var c = colors.Map(t);
            if (grey is not null)
            {
                double a = Math.Sqrt(t), g = 255 * (0.25 + 0.5 * Math.Clamp(grey[y * w + x], 0f, 1f));
                c = new Rgb24((byte)Math.Round(a * c.R + (1 - a) * g), (byte)Math.Round(a * c.G + (1 - a) * g), (byte)Math.Round(a * c.B + (1 - a) * g));
            }
            image[x, y] = c;
        }
        return image;
    }

    /// <summary>
    /// Several loss gradients over the picture they were taken at (<see cref="Render"/> with <c>over</c>), in a row,
    /// with the colour bar under them: dark and see-through = no pull, bright and opaque = the panel's strongest pull
    /// (its 99th percentile; each panel has its own scale, since the terms' sizes differ by orders of magnitude).
    /// </summary>
    public static Image<Rgb24> Sheet(IEnumerable<(string Caption, Tensor Gradient)> gradients, Tensor picture, int height = 128, ColorMap? colors = null)
    {
        colors ??= ColorMap.Viridis;
        using var row = ImageSheet.Row(gradients.Select(g => new Panel(Render(g.Gradient, colors, picture), g.Caption)), height);
        using var bar = new Image<Rgb24>(Math.Min(row.Width - 16, 320), 12);
        for (int x = 0; x < bar.Width; x++)
        {
            var c = colors.Map(x / (double)(bar.Width - 1));
            for (int y = 0; y < bar.Height; y++) bar[x, y] = c;
        }
        return ImageSheet.Column([new Panel(row), new Panel(bar, "colour: no pull (the picture shows through) → the panel's strongest pull (its 99th percentile)")], spacing: 0);
    }

    /// <summary>
    /// Where a loss pulls hardest: of the <paramref name="strongest"/> fraction of pixels with the largest gradient (the
    /// length of each pixel's RGB vector, as <see cref="Render"/> draws it), the share that lies where
    /// <paramref name="mask"/> ([H, W] or [1, 1, H, W]) is at least 0.5 — 1 when the loss pulls hardest only there, about
    /// the mask's area when it pulls everywhere alike. (The strongest pixels, not the whole sum: a weak pull spread
    /// over the rest of the picture would otherwise outweigh a strong one in a small place.)
    /// </summary>
    /// <param name="gradient">∂loss/∂image [1, 3, H, W].</param>
    /// <param name="mask">Where to count.</param>
    /// <param name="strongest">The fraction of pixels counted, in (0, 1].</param>
    public static double ShareInside(Tensor gradient, Tensor mask, double strongest = 0.1)
    {
        if (!(strongest > 0 && strongest <= 1)) throw new ArgumentOutOfRangeException(nameof(strongest), strongest, "The fraction must lie in (0, 1].");
        using var scope = NewDisposeScope();
        var magnitude = Magnitude(gradient).reshape(-1);
        var inside = mask.detach().cpu().reshape(-1).ge(0.5);
        if (inside.shape[0] != magnitude.shape[0]) throw new NotebookStyleException($"The mask has {inside.shape[0]} pixels, the gradient {magnitude.shape[0]}.");
        if (!(magnitude.max().item<float>() > 0)) throw new NotebookStyleException("The gradient is zero everywhere: the loss does not pull at all.");
        long k = Math.Max(1, (long)Math.Round(strongest * magnitude.shape[0]));
        var top = magnitude.topk((int)k).indexes;
        return inside.index_select(0, top).to_type(ScalarType.Float64).mean().item<double>();
    }

    private static Tensor Magnitude(Tensor gradient)
    {
        var g = gradient.detach().cpu().to_type(ScalarType.Float32);
        if (g.dim() == 4) g = g[0];
        if (g.dim() != 3) throw new NotebookStyleException($"Expected an image gradient [1, 3, H, W], got [{string.Join(", ", gradient.shape)}].");
        // sum(new long[] { 0 }), not sum(0): a literal 0 converts to the ScalarType overload and sums everything.
        return g.square().sum(new long[] { 0 }).sqrt();
    }
}
