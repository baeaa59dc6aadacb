using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Visualization;

public class ImageSheetTests
{
    [Fact]
    public void RowScalesToOneHeightAndAddsCaptions()
    {
        using var a = new Image<Rgb24>(10, 20);
        using var b = new Image<Rgb24>(10, 10);
        using var plain = ImageSheet.Row([new Panel(a), new Panel(b)], height: 20, spacing: 2);
        Assert.Equal(10 + 20 + 3 * 2, plain.Width);
        Assert.Equal(20 + 2 * 2, plain.Height);
        using var captioned = ImageSheet.Row([new Panel(a, "a"), new Panel(b, "b")], height: 20, spacing: 2, title: "t");
        // A title line and a caption line, each at least 10 pixels of text.
        Assert.True(captioned.Height > plain.Height + 2 * 10);
    }

    [Fact]
    public void RowOfTensorsAndColumn()
    {
        Torch.Ready();
        using var t = rand(1, 3, 8, 16);
        using var row = ImageSheet.Row(("content", t), ("style", t));
        Assert.True(row.Width > 2 * 512);
        using var img = new Image<Rgb24>(30, 5);
        using var col = ImageSheet.Column([new Panel(img, "x"), new Panel(img)], spacing: 1);
        Assert.Equal(32, col.Width);
    }

    [Fact]
    public void GridChecksItsLabels()
    {
        using var img = new Image<Rgb24>(8, 8);
        IReadOnlyList<IReadOnlyList<Panel>> rows = [[new Panel(img), new Panel(img)], [new Panel(img)]];
        using var grid = ImageSheet.Grid(rows, ["r1", "r2"], ["c1", "c2"], cellHeight: 16);
        Assert.True(grid.Width >= 2 * 16);
        Assert.Throws<NotebookStyleException>(() => ImageSheet.Grid(rows, ["only one"]));
        Assert.Throws<NotebookStyleException>(() => ImageSheet.Grid(rows, columnLabels: ["c1"]));
        Assert.Throws<NotebookStyleException>(() => ImageSheet.Row([]));
    }
}
