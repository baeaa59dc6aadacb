using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>Image ↔ tensor: tensors are RGB, float32, shape [1, 3, H, W], values in [0, 1].</summary>
public static class ImageTensor
{
    /// <summary>The image as a [1, 3, H, W] float32 tensor in [0, 1] on <paramref name="device"/> (CPU if null).</summary>
    public static Tensor FromImage(Image<Rgb24> image, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var bytes = new byte[checked(image.Width * image.Height * 3)];
        image.CopyPixelDataTo(bytes);
        using var scope = NewDisposeScope();
        var hwc = tensor(bytes, [image.Height, image.Width, 3], ScalarType.Byte);
        var t = hwc.permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).div_(255.0);
        return (device is null ? t.contiguous() : t.to(device).contiguous()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A [1, 3, H, W] or [3, H, W] tensor in [0, 1] as an 8-bit RGB image: values are clamped to [0, 1] and rounded to
    /// the nearest of 256 levels (NaN becomes 0). Exact inverse of <see cref="FromImage"/> for 8-bit images.
    /// </summary>
    public static Image<Rgb24> ToImage(Tensor t)
    {
        using var scope = NewDisposeScope();
        var (x, h, w) = Chw(t);
        var bytes = x.to(CPU).to_type(ScalarType.Float32).nan_to_num(0.0).clamp(0, 1).mul(255).round().to_type(ScalarType.Byte)
            .permute(1, 2, 0).contiguous().data<byte>().ToArray();
        return Image.LoadPixelData<Rgb24>(bytes, w, h);
    }

    /// <summary>
    /// Converts an RGB tensor [1, 3, H, W] or [3, H, W] in [0, 1] to a 16-bit-per-channel image (65,535 levels instead of
    /// 255: for prints, where smooth gradients band at 8 bits). NaN becomes 0; values are clamped.
    /// </summary>
    public static Image<Rgb48> ToImage48(Tensor t)
    {
        using var scope = NewDisposeScope();
        var (x, h, w) = Chw(t);
        // Int32 first: TorchSharp has no uint16 tensors; the values fit in 0..65535.
        var levels = x.to(CPU).to_type(ScalarType.Float32).nan_to_num(0.0).clamp(0, 1).mul(65535).round().to_type(ScalarType.Int32)
            .permute(1, 2, 0).contiguous().data<int>().ToArray();
        var pixels = new Rgb48[h * w];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgb48((ushort)levels[3 * i], (ushort)levels[3 * i + 1], (ushort)levels[3 * i + 2]);
        return Image.LoadPixelData<Rgb48>(pixels, w, h);
    }

    /// <summary>The image as [3, H, W] (detached) and its size; checks the shape.</summary>
    private static (Tensor Image, int Height, int Width) Chw(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var x = t.detach();
        if (x.dim() == 4)
        {
            if (x.shape[0] != 1) throw new NotebookStyleException($"Expected one image, got a batch of {x.shape[0]}.");
            x = x[0];
        }
        if (x.dim() != 3 || x.shape[0] != 3) throw new NotebookStyleException($"Expected an RGB tensor [3, H, W], got [{string.Join(", ", t.shape)}].");
        int h = (int)x.shape[1], w = (int)x.shape[2];
        if (h < 1 || w < 1) throw new NotebookStyleException($"Expected a non-empty image, got [{string.Join(", ", t.shape)}].");
        return (x, h, w);
    }

    /// <summary>Loads <paramref name="path"/> (bounded), resizes its long side to <paramref name="longSide"/> if given, and returns the tensor.</summary>
    public static Tensor Load(string path, int? longSide = null, Device? device = null, ImageLoadOptions? options = null)
    {
        using var image = ImageLoader.Load(path, options);
        return Resized(image, longSide, device);
    }

    /// <summary>Like <see cref="Load(string, int?, Device?, ImageLoadOptions?)"/>, for an image file already read into memory.</summary>
    public static Tensor Load(byte[] bytes, string name, int? longSide = null, Device? device = null, ImageLoadOptions? options = null)
    {
        using var image = ImageLoader.Load(bytes, name, options);
        return Resized(image, longSide, device);
    }

    private static Tensor Resized(Image<Rgb24> image, int? longSide, Device? device)
    {
        if (longSide is not int size) return FromImage(image, device);
        using var resized = ImageLoader.ResizeLongSide(image, size);
        return FromImage(resized, device);
    }

    /// <summary>Writes the tensor as a PNG, creating the folder; the file appears whole or not at all.</summary>
    public static void SavePng(Tensor t, string path)
    {
        using var image = ToImage(t);
        SavePng(image, path);
    }

    /// <summary>
    /// Writes the image as a PNG, creating the folder; the file appears whole or not at all (see <see cref="ImageWriter.Save(Image{Rgb24}, string, ImageFileFormat, int)"/>).
    /// </summary>
    public static void SavePng(Image<Rgb24> image, string path) => ImageWriter.Save(image, path, ImageFileFormat.Png);
}
