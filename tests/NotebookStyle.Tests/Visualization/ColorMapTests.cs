using NotebookStyle.Visualization;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Visualization;

public class ColorMapTests
{
    [Fact]
    public void EndsAreTheAnchorsAndOutOfRangeClamps()
    {
        var map = new ColorMap("test", new Rgb24(0, 0, 0), new Rgb24(200, 100, 50));
        Assert.Equal(new Rgb24(0, 0, 0), map.Map(0));
        Assert.Equal(new Rgb24(200, 100, 50), map.Map(1));
        Assert.Equal(new Rgb24(100, 50, 25), map.Map(0.5));
        Assert.Equal(map.Map(0), map.Map(-3));
        Assert.Equal(map.Map(1), map.Map(7));
        Assert.Equal(map.Map(0), map.Map(double.NaN));
    }

    [Fact]
    public void ViridisGoesFromDarkPurpleToYellow()
    {
        Assert.Equal(new Rgb24(0x44, 0x01, 0x54), ColorMap.Viridis.Map(0));
        Assert.Equal(new Rgb24(0xfd, 0xe7, 0x25), ColorMap.Viridis.Map(1));
        Assert.Equal(9, ColorMap.Viridis.Anchors().Count());
    }

    [Fact]
    public void OneAnchorIsRejected() => Assert.Throws<ArgumentException>(() => new ColorMap("x", new Rgb24(1, 2, 3)));
}
