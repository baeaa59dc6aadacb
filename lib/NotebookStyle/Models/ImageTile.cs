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
}
