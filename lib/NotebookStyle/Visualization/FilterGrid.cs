using NotebookStyle.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>
/// Renders convolution filters [out, in, kh, kw] as a grid of small pictures: with 3 input channels each filter is
/// an RGB patch (normalised over its own three channels, so 0.5 grey means zero weight), otherwise the mean over
/// input channels in grey. Pretrained first-layer filters look like oriented edges and colour blobs; random ones
/// look like noise.
/// </summary>
public static class FilterGrid
{
    /// <summary>The filters of <paramref name="weight"/> as a grid.</summary>
    /// <param name="weight">Convolution weights [out, in, kh, kw].</param>
    /// <param name="bgr">The weights expect BGR input (Caffe, CNTK): their channels are flipped to show RGB.</param>
    /// <param name="count">Filters shown (the first ones).</param>
    /// <param name="columns">Filters per row.</param>
    /// <param name="scale">Pixels per weight.</param>
    /// <param name="spacing">Gap between filters in pixels.</param>
    public static Image<Rgb24> Render(Tensor weight, bool bgr = false, int count = 64, int columns = 8, int scale = 8, int spacing = 2)
    {
        if (weight.dim() != 4) throw new NotebookStyleException($"Expected convolution weights [out, in, kh, kw], got [{string.Join(", ", weight.shape)}].");
        if (count < 1 || columns < 1 || scale < 1) throw new NotebookStyleException("count, columns and scale must be at least 1.");
        using var scope = NewDisposeScope();
        var w = weight.detach().cpu().to_type(ScalarType.Float32);
        int n = (int)Math.Min(count, w.shape[0]);
        int kh = (int)w.shape[2], kw = (int)w.shape[3];
        w = w[..n];
        if (w.shape[1] == 3) { if (bgr) w = w.flip(1); }
        else w = w.mean([1], keepdim: true).expand(n, 3, kh, kw);
        // Symmetric normalisation per filter: 0 maps to mid-grey, the largest |weight| to 0 or 1.
        var m = w.abs().amax([1, 2, 3], keepdim: true).clamp_min(1e-12);
        var rgb = w.div(m).mul(0.5).add(0.5).contiguous();
        float[] data = rgb.data<float>().ToArray();

        int cols = Math.Min(columns, n), rows = (n + cols - 1) / cols;
        int cw = kw * scale, ch = kh * scale;
        using var sheet = new SheetCanvas(cols * cw + (cols + 1) * spacing, rows * ch + (rows + 1) * spacing);
        using var filter = new Image<Rgb24>(kw, kh);
        for (int f = 0; f < n; f++)
        {
            for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
            {
                int b = f * 3 * kh * kw + y * kw + x;
                filter[x, y] = new Rgb24(Byte(data[b]), Byte(data[b + kh * kw]), Byte(data[b + 2 * kh * kw]));
            }
            // Each weight a sharp scale × scale block.
            sheet.PasteBlocks(filter, spacing + (f % cols) * (cw + spacing), spacing + (f / cols) * (ch + spacing), cw, ch);
        }
        return sheet.ToImage();
    }

    /// <summary>The network's first convolution (the first one that reads 3 channels) as a filter grid.</summary>
    public static Image<Rgb24> FirstLayer(FeatureExtractor network, int count = 64, int columns = 8, int scale = 8) =>
        Render(FirstConvolution(network).weight!, network.Preprocessing.Bgr, count, columns, scale);

    /// <summary>
    /// How smooth filters are: the correlation between neighbouring weights (each weight with the one to its right and
    /// the one below, in every filter and input channel, pooled). Trained first layers are edge and colour-blob
    /// detectors whose neighbouring weights go together (ImageNet ResNet18: 0.45); independent random weights
    /// give about 0.
    /// </summary>
    /// <param name="weight">Convolution weights [out, in, kh, kw], kh and kw at least 2.</param>
    public static double NeighbourCorrelation(Tensor weight)
    {
        if (weight.dim() != 4 || weight.shape[2] < 2 || weight.shape[3] < 2)
            throw new NotebookStyleException($"Expected convolution weights [out, in, kh, kw] with kernels of at least 2×2, got [{string.Join(", ", weight.shape)}].");
        using var scope = NewDisposeScope();
        var w = weight.detach().cpu().to_type(ScalarType.Float64);
        var a = cat([w[.., .., .., ..^1].reshape(-1), w[.., .., ..^1, ..].reshape(-1)]);
        var b = cat([w[.., .., .., 1..].reshape(-1), w[.., .., 1.., ..].reshape(-1)]);
        var (da, db) = (a.sub(a.mean()), b.sub(b.mean()));
        double denominator = Math.Sqrt(da.square().sum().ToDouble() * db.square().sum().ToDouble());
        return denominator > 0 ? da.mul(db).sum().ToDouble() / denominator : 0;
    }

    /// <summary><see cref="NeighbourCorrelation(Tensor)"/> of the network's first convolution.</summary>
    public static double NeighbourCorrelation(FeatureExtractor network) => NeighbourCorrelation(FirstConvolution(network).weight!);

    /// <summary>The first convolution of <paramref name="network"/> that reads the 3 image channels.</summary>
    /// <exception cref="NotebookStyleException">The network has no convolution.</exception>
    public static Conv2d FirstConvolution(nn.Module network)
    {
        var convs = network.modules().OfType<Conv2d>().ToList();
        return convs.FirstOrDefault(c => c.weight is { } w && w.shape[1] == 3) ?? convs.FirstOrDefault()
            ?? throw new NotebookStyleException($"{network.GetName()} has no convolution layer.");
    }

    private static byte Byte(float v) => (byte)Math.Clamp(Math.Round(v * 255), 0, 255);
}
