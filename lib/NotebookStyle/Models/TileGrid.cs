namespace NotebookStyle.Models;

/// <summary>
/// How an image is cut into tiles for exact tiled evaluation: core origins on multiples of the total stride of the
/// deepest tap, each crop the core plus a halo of at least the receptive field's reach (rounded up to the stride).
/// Crops at the image's border stop there, so the network pads them as it pads the whole image; interior halos hold
/// real neighbour pixels. Every feature position of a core then sees exactly what it sees in the whole image.
/// </summary>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="TileSize">Core side (a multiple of <paramref name="Stride"/>).</param>
/// <param name="Stride">The total stride tile origins are aligned to.</param>
/// <param name="Halo">Pixels of context around each core (a multiple of <paramref name="Stride"/>).</param>
/// <param name="Tiles">The tiles, row by row.</param>
public sealed record TileGrid(int Height, int Width, int TileSize, int Stride, int Halo, IReadOnlyList<ImageTile> Tiles)
{
    /// <summary>The grid for an image of <paramref name="height"/> × <paramref name="width"/> with cores of about <paramref name="tileSize"/> pixels.</summary>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="tileSize">Wanted core side; rounded up to a multiple of <paramref name="stride"/>.</param>
    /// <param name="stride">Total stride of the deepest tap.</param>
    /// <param name="radius">Receptive-field reach of the widest tap (see <see cref="ReceptiveField.Radius"/>).</param>
    public static TileGrid Plan(int height, int width, int tileSize, int stride, int radius)
    {
        if (tileSize < 1) throw new ArgumentOutOfRangeException(nameof(tileSize), tileSize, "Tiles need at least one pixel.");
        int core = RoundUp(tileSize, stride), halo = RoundUp(radius, stride);
        var tiles = new List<ImageTile>();
        for (int top = 0, row = 0; top < height; top += core, row++)
        {
            for (int left = 0, column = 0; left < width; left += core, column++)
            {
                int bottom = Math.Min(height, top + core), right = Math.Min(width, left + core);
                tiles.Add(new ImageTile(row, column, top, bottom, left, right,
                    Math.Max(0, top - halo), Math.Min(height, bottom + halo), Math.Max(0, left - halo), Math.Min(width, right + halo)));
            }
        }
        return new TileGrid(height, width, core, stride, halo, tiles);
    }

    /// <summary>The largest crop of the grid, in pixels (what one tile's evaluation holds in memory).</summary>
    public long LargestCropPixels => Tiles.Max(t => (long)t.CropHeight * t.CropWidth);

    /// <summary>Crop pixels over image pixels: the work tiling adds (1 for a single tile).</summary>
    public double Overhead => Tiles.Sum(t => (double)t.CropHeight * t.CropWidth) / ((double)Height * Width);

    private static int RoundUp(int value, int multiple) => Math.Max(multiple, (value + multiple - 1) / multiple * multiple);
}
