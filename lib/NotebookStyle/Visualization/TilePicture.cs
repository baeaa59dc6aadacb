using NotebookStyle.Imaging;
using NotebookStyle.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>
/// A picture of tiled evaluation: the image with every tile's core outlined, and one tile's crop (its core plus the
/// halo the network needs around it) shaded, so the halo's width against the core is visible at a glance.
/// </summary>
public static class TilePicture
{
    /// <summary>
    /// Draws <paramref name="grid"/> over <paramref name="image"/> (RGB [0, 1], [1, 3, H, W] at the grid's size): cores
    /// outlined in white, the crop of tile <paramref name="highlight"/> tinted orange outside its core (the halo) with
    /// its core outlined in orange.
    /// </summary>
    /// <exception cref="NotebookStyleException">The image is not the grid's size, or there is no such tile.</exception>
    public static Image<Rgb24> Draw(Tensor image, TileGrid grid, int highlight = 0)
    {
        if (image.shape[^2] != grid.Height || image.shape[^1] != grid.Width)
            throw new NotebookStyleException($"The image is {image.shape[^1]}×{image.shape[^2]}, the grid {grid.Width}×{grid.Height}.");
        if (highlight < 0 || highlight >= grid.Tiles.Count)
            throw new NotebookStyleException($"Tile {highlight} does not exist: the grid has {grid.Tiles.Count}.");
        var picture = ImageTensor.ToImage(image);
        var orange = new Rgb24(255, 140, 0);
        var tile = grid.Tiles[highlight];
        for (int y = tile.CropTop; y < tile.CropBottom; y++)
            for (int x = tile.CropLeft; x < tile.CropRight; x++)
            {
                bool inCore = y >= tile.Top && y < tile.Bottom && x >= tile.Left && x < tile.Right;
                if (!inCore) picture[x, y] = Mix(picture[x, y], orange, 0.55);
            }
        int line = Math.Max(1, (int)Math.Round(Math.Max(grid.Width, grid.Height) / 400.0));
        foreach (var t in grid.Tiles) Outline(picture, t.Top, t.Bottom, t.Left, t.Right, new Rgb24(255, 255, 255), line);
        Outline(picture, tile.Top, tile.Bottom, tile.Left, tile.Right, orange, line + 1);
        Outline(picture, tile.CropTop, tile.CropBottom, tile.CropLeft, tile.CropRight, orange, line);
        return picture;
    }

    private static Rgb24 Mix(Rgb24 a, Rgb24 b, double t) =>
        new((byte)(a.R + (b.R - a.R) * t), (byte)(a.G + (b.G - a.G) * t), (byte)(a.B + (b.B - a.B) * t));

    private static void Outline(Image<Rgb24> picture, int top, int bottom, int left, int right, Rgb24 colour, int width)
    {
        for (int y = top; y < bottom; y++)
            for (int x = left; x < right; x++)
                if (y - top < width || bottom - 1 - y < width || x - left < width || right - 1 - x < width)
                    picture[x, y] = colour;
    }
}
