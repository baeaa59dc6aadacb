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

    /// <summary>
    /// Loads region map <paramref name="id"/> (<c>images/masks/</c>, listed in the catalogue with what each colour marks;
    /// or a PNG of your own dropped there) as one soft mask per colour at <paramref name="height"/> ×
    /// <paramref name="width"/> (see <see cref="NotebookStyle.Imaging.RegionMap"/>), its regions named as the catalogue
    /// names them. Prints which photo it belongs to and its colours.
    /// </summary>
    /// <param name="id">The map's id, e.g. <c>coffee-regions</c>.</param>
    /// <param name="height">The content's height.</param>
    /// <param name="width">The content's width.</param>
    /// <param name="blur">Softness of the borders: the Gaussian's σ as a fraction of the long side.</param>
    /// <param name="log">Where the line about the map goes (default: the cell's output).</param>
    public static Imaging.RegionMap RegionMap(string id, long height, long width, double blur = 0.02, Action<string>? log = null)
    {
        var found = ImageCatalog.Default.GetRegionMap(id);
        var map = Imaging.RegionMap.Load(found.Path, height, width, blur, found.Names);
        (log ?? Console.WriteLine)($"{found.Id}: " + (found.Entry is { } e ? $"region map of '{e.Photo}'" : Path.GetFileName(found.Path)) +
                                   $", {map.Colours.Count} regions: {string.Join(", ", map.Colours.Select(map.Describe))}");
        return map;
    }

    /// <summary>As <see cref="RegionMap(string, long, long, double, Action{string})"/>, at <paramref name="image"/>'s size ([1, 3, H, W]).</summary>
    public static Imaging.RegionMap RegionMap(string id, Tensor image, double blur = 0.02, Action<string>? log = null) =>
        RegionMap(id, image.shape[2], image.shape[3], blur, log);
}
