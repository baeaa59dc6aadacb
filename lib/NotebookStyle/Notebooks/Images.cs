using NotebookStyle.Imaging;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>The lessons' way to get an image: by catalogue id (or file name), as a tensor, with any notice printed.</summary>
public static class Images
{
    /// <summary>
    /// Loads image <paramref name="id"/> from the catalogue as an RGB [0, 1] tensor [1, 3, H, W] with its long side
    /// <paramref name="longSide"/> pixels, on <paramref name="device"/> (default: the session's). Prints the image's
    /// credit and any notice (a fallback, a first download); a download shows a progress line that is updated in place.
    /// </summary>
    public static Tensor Load(string id, int longSide, Device? device = null, Action<string>? log = null)
    {
        var image = ImageCatalog.Default.Get(id, new DownloadDisplay());
        log ??= Console.WriteLine;
        if (image.Notice is not null) log($"Note: {image.Notice}");
        log($"{id}: {image.Credit}");
        return ImageTensor.Load(image.Path, longSide, device ?? Session.Device);
    }
}
