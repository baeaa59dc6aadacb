using static TorchSharp.torch;

namespace NotebookStyle.Models;

/// <summary>
/// One tile of an image evaluated in tiles: its core [<paramref name="Top"/>, <paramref name="Bottom"/>) ×
/// [<paramref name="Left"/>, <paramref name="Right"/>) (the cores partition the image) and the crop the network sees,
/// the core plus a halo clipped to the image. Core sides and halo are multiples of the network's total stride, so
/// feature position q of the crop at a layer of stride s is the image's position CropTop / s + q.
/// </summary>
public sealed record ImageTile(int Row, int Column, int Top, int Bottom, int Left, int Right,
    int CropTop, int CropBottom, int CropLeft, int CropRight)
{
    /// <summary>Crop height in pixels.</summary>
    public int CropHeight => CropBottom - CropTop;

    /// <summary>Crop width in pixels.</summary>
    public int CropWidth => CropRight - CropLeft;

    /// <summary>
    /// The core's feature positions in a crop's feature map of <paramref name="height"/> × <paramref name="width"/> at a
    /// layer of total stride <paramref name="stride"/>: start and length per axis (crop coordinates). A core that ends at
    /// the image's edge takes every position to the map's end (the network floors odd sizes as on the whole image).
    /// </summary>
    public (long Y, long Height, long X, long Width) CoreAt(int stride, long height, long width, int imageHeight, int imageWidth)
    {
        long y0 = (Top - CropTop) / stride, x0 = (Left - CropLeft) / stride;
        long y1 = Bottom == imageHeight ? height : Math.Min(height, (Bottom - CropTop) / stride);
        long x1 = Right == imageWidth ? width : Math.Min(width, (Right - CropLeft) / stride);
        return (y0, Math.Max(0, y1 - y0), x0, Math.Max(0, x1 - x0));
    }

    /// <summary>
    /// The core's positions of <paramref name="features"/>, the crop's feature map [1, N, h, w] at a layer of total stride
    /// <paramref name="stride"/>, and the image position (<paramref name="y"/>, <paramref name="x"/>) of its first one;
    /// null when the core has no position at that layer.
    /// </summary>
    public Tensor? Core(Tensor features, int stride, TileGrid grid, out long y, out long x)
    {
        var (cy, ch, cx, cw) = CoreAt(stride, features.shape[2], features.shape[3], grid.Height, grid.Width);
        y = CropTop / stride + cy;
        x = CropLeft / stride + cx;
        if (ch == 0 || cw == 0) return null;
        return features.narrow(2, cy, ch).narrow(3, cx, cw);
    }

    /// <summary>This tile's crop of <paramref name="image"/> [N, C, H, W] (a view).</summary>
    public Tensor Crop(Tensor image) => image.narrow(2, CropTop, CropHeight).narrow(3, CropLeft, CropWidth);
}
