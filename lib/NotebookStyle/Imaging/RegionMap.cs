using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// A region map: an image whose distinct flat colours mark regions (draw it with hard edges: every distinct colour is a
/// region, so anti-aliased edges would add slivers). <see cref="Load(string, long, long, double, IReadOnlyDictionary{string, string}?)"/> turns it into one soft mask per colour at the
/// content's size: one-hot per colour, resized by area (a cell's value is the share of it the region covers), then
/// blurred by a Gaussian so neighbouring regions' styles fade into each other without a seam. The masks sum to 1 at
/// every pixel.
/// </summary>
public sealed class RegionMap : IDisposable
{
    /// <summary>The most distinct colours a map may have.</summary>
    public const int MaxRegions = 32;

    private RegionMap(IReadOnlyList<string> colours, Tensor masks, IReadOnlyDictionary<string, string> names)
    {
        Colours = colours;
        Masks = masks;
        Names = names;
    }

    /// <summary>The regions' colours as lowercase hex <c>rrggbb</c>, in increasing order of their value.</summary>
    public IReadOnlyList<string> Colours { get; }

    /// <summary>The soft masks, float32 [R, 1, H, W] in [0, 1], one per colour in <see cref="Colours"/>' order.</summary>
    public Tensor Masks { get; }

    /// <summary>Names of regions by colour (hex <c>rrggbb</c>), e.g. <c>0000ff</c> → <c>table</c>; may be empty or name only some.</summary>
    public IReadOnlyDictionary<string, string> Names { get; }

    /// <summary>
    /// The mask of the region of <paramref name="colour"/> (hex <c>rrggbb</c>, with or without <c>#</c>, or a name from
    /// <see cref="Names"/>), [1, 1, H, W].
    /// </summary>
    /// <exception cref="NotebookStyleException">The map has no such colour or name; the message lists those it has.</exception>
    public Tensor Mask(string colour)
    {
        string key = Names.FirstOrDefault(n => n.Value.Equals(colour, StringComparison.OrdinalIgnoreCase)).Key ?? Hex(colour);
        int index = Colours.ToList().IndexOf(key);
        if (index < 0)
        {
            string what = System.Text.RegularExpressions.Regex.IsMatch(key, "^[0-9a-f]{6}$") ? $"no colour {key}" : $"no region named '{colour}'";
            throw new NotebookStyleException($"The region map has {what}; it has {string.Join(", ", Colours.Select(Describe))}.");
        }
        return Masks[index].unsqueeze(0);
    }

    /// <summary>A colour with its name, e.g. <c>0000ff (table)</c>, or the colour alone when it has none.</summary>
    public string Describe(string colour) => Names.TryGetValue(Hex(colour), out var name) ? $"{Hex(colour)} ({name})" : Hex(colour);

    private static string Hex(string colour) => colour.Trim().TrimStart('#').ToLowerInvariant();

    /// <summary>
    /// The soft masks painted in their colours, RGB [0, 1] [1, 3, H, W]: the map as the losses see it, at the content's
    /// size, its borders blended where the masks fade into each other.
    /// </summary>
    public Tensor Picture()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rgb = Colours.Select(c => Convert.ToInt32(c, 16)).SelectMany(v => new[] { (v >> 16) & 255, (v >> 8) & 255, v & 255 })
            .Select(b => b / 255f).ToArray();
        var palette = tensor(rgb, [Colours.Count, 3], device: Masks.device);            // [R, 3]
        var picture = Masks.squeeze(1).permute(1, 2, 0).matmul(palette).permute(2, 0, 1);  // [3, H, W]
        return picture.unsqueeze(0).clamp(0, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Loads a region map (PNG, any size, within the loader's pixel budget) and makes its masks at <paramref name="height"/>
    /// × <paramref name="width"/>. The map is reduced to that size straight from its decoded pixels (one colour index per
    /// pixel), so memory follows the run's size, not the map's: a 3000×3000 map for a 64 px run costs its decoded pixels
    /// and 32 masks of 64 px, never 32 full-size masks.
    /// </summary>
    /// <param name="path">The map.</param>
    /// <param name="height">The content's height.</param>
    /// <param name="width">The content's width.</param>
    /// <param name="blur">The Gaussian's σ as a fraction of the long side (0: hard edges).</param>
    /// <param name="names">Names of regions by colour (see <see cref="Names"/>); each named colour must be in the map.</param>
    public static RegionMap Load(string path, long height, long width, double blur = 0.02, IReadOnlyDictionary<string, string>? names = null)
    {
        using var image = ImageLoader.Load(path);
        return FromPixels(image, height, width, blur, names);
    }

    /// <summary>As <see cref="Load(string, long, long, double, IReadOnlyDictionary{string, string}?)"/>, for a map file already read into memory; <paramref name="name"/> is used in messages.</summary>
    public static RegionMap Load(byte[] bytes, string name, long height, long width, double blur = 0.02, IReadOnlyDictionary<string, string>? names = null)
    {
        using var image = ImageLoader.Load(bytes, name);
        return FromPixels(image, height, width, blur, names);
    }

    /// <summary>As <see cref="Load(string, long, long, double, IReadOnlyDictionary{string, string}?)"/>, from decoded 8-bit pixels.</summary>
    public static RegionMap FromPixels(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image, long height, long width, double blur = 0.02,
        IReadOnlyDictionary<string, string>? names = null)
    {
        var packed = new int[checked(image.Width * image.Height)];
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) packed[y * rows.Width + x] = (row[x].R << 16) | (row[x].G << 8) | row[x].B;
            }
        });
        return FromPacked(packed, image.Height, image.Width, height, width, blur, names);
    }

    /// <summary>As <see cref="Load(string, long, long, double, IReadOnlyDictionary{string, string}?)"/>, from an RGB [0, 1] tensor [1, 3, H', W'].</summary>
    /// <exception cref="NotebookStyleException">More than <see cref="MaxRegions"/> colours, or a named colour the map lacks.</exception>
    public static RegionMap FromImage(Tensor image, long height, long width, double blur = 0.02, IReadOnlyDictionary<string, string>? names = null)
    {
        int[] packed;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var bytes = image.detach().cpu().mul(255).round().clamp(0, 255).to_type(ScalarType.Int32);
            packed = bytes[0, 0].mul(65536).add(bytes[0, 1].mul(256)).add(bytes[0, 2]).contiguous().data<int>().ToArray();
        }
        return FromPacked(packed, image.shape[2], image.shape[3], height, width, blur, names, image.device);
    }

    /// <summary>
    /// The masks from one packed colour (0xRRGGBB) per pixel of an <paramref name="mapHeight"/> × <paramref name="mapWidth"/>
    /// map: each output cell is the share of its window of map pixels that has the region's colour, the window being
    /// adaptive average pooling's (the same values as <c>interpolate(..., mode: Area)</c> of the one-hot masks), computed
    /// without ever holding a full-size mask.
    /// </summary>
    private static RegionMap FromPacked(int[] packed, long mapHeight, long mapWidth, long height, long width, double blur,
        IReadOnlyDictionary<string, string>? names, Device? device = null)
    {
        if (!(blur >= 0 && blur <= 0.25)) throw new NotebookStyleException($"The region blur must be in [0, 0.25], got {blur}.");
        if (height < 1 || width < 1 || height > 65536 || width > 65536)
            throw new NotebookStyleException($"Region masks of {width}×{height} pixels are not possible; give a size from 1 to 65536.");
        var distinct = new SortedSet<int>();
        foreach (int value in packed)
            if (distinct.Add(value) && distinct.Count > MaxRegions)
                throw new NotebookStyleException($"The region map has more than {MaxRegions} colours; at most {MaxRegions} (draw flat colours, no anti-aliasing).");
        var values = distinct.ToArray();
        var colours = values.Select(v => v.ToString("x6", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var named = (names ?? new Dictionary<string, string>()).ToDictionary(n => Hex(n.Key), n => n.Value);
        if (named.Keys.FirstOrDefault(c => !colours.Contains(c)) is { } missing)
            throw new NotebookStyleException($"The region map has no colour {missing} ({named[missing]}); it has {string.Join(", ", colours)}.");

        var index = new Dictionary<int, int>();
        for (int r = 0; r < values.Length; r++) index[values[r]] = r;
        var ids = new byte[packed.Length];
        for (long p = 0; p < packed.Length; p++) ids[p] = (byte)index[packed[p]];
        int regions = values.Length, h = (int)height, w = (int)width, mh = (int)mapHeight, mw = (int)mapWidth;
        var masks = new float[checked((long)regions * h * w)];
        var counts = new double[regions];
        for (int i = 0; i < h; i++)
        {
            int y0 = (int)((long)i * mh / h), y1 = (int)(((long)(i + 1) * mh + h - 1) / h);
            for (int j = 0; j < w; j++)
            {
                int x0 = (int)((long)j * mw / w), x1 = (int)(((long)(j + 1) * mw + w - 1) / w);
                Array.Clear(counts);
                for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++) counts[ids[(long)y * mw + x]]++;
                double area = (double)(y1 - y0) * (x1 - x0);
                for (int r = 0; r < regions; r++) masks[((long)r * h + i) * w + j] = (float)(counts[r] / area);
            }
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var result = tensor(masks, [regions, 1, h, w], dtype: ScalarType.Float32).to(device ?? CPU);
        double sigma = blur * Math.Max(height, width);
        if (sigma >= 0.5) result = GaussianBlur(result, sigma);
        return new RegionMap(colours, result.contiguous().MoveToOuterDisposeScope(), named);
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
