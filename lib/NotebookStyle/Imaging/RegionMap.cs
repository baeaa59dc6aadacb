using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// A region map: an image whose distinct flat colours mark regions (draw it with hard edges: every distinct colour is a
/// region, so anti-aliased edges would add slivers). <see cref="Load"/> turns it into one soft mask per colour at the
/// content's size: one-hot per colour, resized by area (a cell's value is the share of it the region covers), then
/// blurred by a Gaussian so neighbouring regions' styles fade into each other without a seam. The masks sum to 1 at
/// every pixel.
/// </summary>
public sealed class RegionMap : IDisposable
{
    /// <summary>The most distinct colours a map may have.</summary>
    public const int MaxRegions = 32;

    private RegionMap(IReadOnlyList<string> colours, Tensor masks)
    {
        Colours = colours;
        Masks = masks;
    }

    /// <summary>The regions' colours as lowercase hex <c>rrggbb</c>, in increasing order of their value.</summary>
    public IReadOnlyList<string> Colours { get; }

    /// <summary>The soft masks, float32 [R, 1, H, W] in [0, 1], one per colour in <see cref="Colours"/>' order.</summary>
    public Tensor Masks { get; }

    /// <summary>The mask of the region of <paramref name="colour"/> (hex <c>rrggbb</c>, with or without <c>#</c>), [1, 1, H, W].</summary>
    /// <exception cref="NotebookStyleException">The map has no such colour; the message lists those it has.</exception>
    public Tensor Mask(string colour)
    {
        string key = colour.TrimStart('#').ToLowerInvariant();
        int index = Colours.ToList().IndexOf(key);
        if (index < 0) throw new NotebookStyleException($"The region map has no colour {key}; it has {string.Join(", ", Colours)}.");
        return Masks[index].unsqueeze(0);
    }

    /// <summary>Loads a region map (PNG, any size) and makes its masks at <paramref name="height"/> × <paramref name="width"/>.</summary>
    /// <param name="path">The map.</param>
    /// <param name="height">The content's height.</param>
    /// <param name="width">The content's width.</param>
    /// <param name="blur">The Gaussian's σ as a fraction of the long side (0: hard edges).</param>
    public static RegionMap Load(string path, long height, long width, double blur = 0.02)
    {
        using var image = ImageTensor.Load(path);
        return FromImage(image, height, width, blur);
    }

    /// <summary>As <see cref="Load"/>, from an RGB [0, 1] tensor [1, 3, H', W'].</summary>
    /// <exception cref="NotebookStyleException">More than <see cref="MaxRegions"/> colours.</exception>
    public static RegionMap FromImage(Tensor image, long height, long width, double blur = 0.02)
    {
        if (!(blur >= 0 && blur <= 0.25)) throw new NotebookStyleException($"The region blur must be in [0, 0.25], got {blur}.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var bytes = image.mul(255).round().to_type(ScalarType.Int64);
        var packed = bytes[0, 0].mul(65536).add(bytes[0, 1].mul(256)).add(bytes[0, 2]);   // [H', W']
        var values = packed.unique().Item1;
        if (values.shape[0] > MaxRegions)
            throw new NotebookStyleException($"The region map has {values.shape[0]} colours; at most {MaxRegions} (draw flat colours, no anti-aliasing).");
        var colours = values.data<long>().Select(v => v.ToString("x6")).ToList();
        var oneHot = packed.unsqueeze(0).eq(values.view(-1, 1, 1)).to_type(ScalarType.Float32).unsqueeze(1);   // [R, 1, H', W']
        var masks = nn.functional.interpolate(oneHot, [height, width], mode: InterpolationMode.Area);
        double sigma = blur * Math.Max(height, width);
        if (sigma >= 0.5) masks = GaussianBlur(masks, sigma);
        return new RegionMap(colours, masks.contiguous().MoveToOuterDisposeScope());
    }

    /// <summary>A separable Gaussian blur of [R, 1, H, W] masks, edges replicated (so the masks still sum to 1).</summary>
    public static Tensor GaussianBlur(Tensor masks, double sigma)
    {
        using var scope = NewDisposeScope();
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var x = arange(-radius, radius + 1, dtype: masks.dtype, device: masks.device);
        var kernel = x.square().div(-2 * sigma * sigma).exp();
        kernel = kernel.div(kernel.sum());
        var padded = nn.functional.pad(masks, [radius, radius, radius, radius], PaddingModes.Replicate);
        var rows = nn.functional.conv2d(padded, kernel.view(1, 1, 1, -1));
        var blurred = nn.functional.conv2d(rows, kernel.view(1, 1, -1, 1));
        return blurred.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => Masks.Dispose();
}
