using NotebookStyle.Models;
using NotebookStyle.Notebooks;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Visualization;

/// <summary>The picture of the tiles and lesson 05's whole-against-tiled comparison.</summary>
public class TilePictureTests
{
    public TilePictureTests() => Torch.Ready();

    [Fact]
    public void CoresAreOutlinedAndTheHighlightedHaloIsTinted()
    {
        using var image = zeros(1, 3, 64, 96);
        var grid = TileGrid.Plan(64, 96, 32, 8, 8);
        using var picture = TilePicture.Draw(image, grid, highlight: 1); // row 0, column 1: core x 32..64, crop x 24..72
        Assert.Equal(new Rgb24(255, 255, 255), picture[0, 0]);             // a core's corner
        Assert.Equal(new Rgb24(0, 0, 0), picture[16, 16]);                 // inside a core, away from the highlight
        var halo = picture[28, 20];                                         // left halo of tile 1, inside tile 0's core
        Assert.True(halo.R > 100 && halo.B == 0, $"halo {halo}");
        Assert.Throws<NotebookStyleException>(() => TilePicture.Draw(image, grid, highlight: 6));
    }

    [Fact]
    public void TheLessonsComparisonFindsTiledAndWholeEqual()
    {
        using var vgg = new Vgg19(seed: 2);
        var g = new Generator(3);
        using var content = rand([1, 3, 64, 96], generator: g);
        using var style = rand([1, 3, 64, 64], generator: g);
        var settings = new NotebookStyle.Optimization.StyleTransferSettings
        {
            Layers = [new("conv1_1", 1, 0), new("conv3_1", 1, 0), new("conv4_2", 0, 1)],
        };
        var c = TilingLesson.Compare(vgg, content, style, 32, settings);
        Assert.True(c.Grid.Tiles.Count >= 4);
        Assert.Equal("conv4_2", c.DeepestTap);
        Assert.True(Math.Abs(c.TiledLoss - c.WholeLoss) <= 1e-5 * c.WholeLoss, c.ToString());
        Assert.True(c.GradientError <= 1e-4, c.ToString());
        Assert.Equal(96, c.Picture.Width);
        Assert.Contains("tiles of 32 px", c.ToString());
    }
}
