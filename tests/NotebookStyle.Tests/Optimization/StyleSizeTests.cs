using NotebookStyle.Optimization;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>The style image's size: one rule (<see cref="StyleSize"/>) that the CLI loads at and the driver resizes to.</summary>
public class StyleSizeTests
{
    [Theory]
    [InlineData(512, 1.0, 512)]
    [InlineData(64, 1.5, 96)]
    [InlineData(16, 0.25, 8)]   // the floor: the CLI used 16 here, the driver 8
    [InlineData(16, 0.01, 8)]
    [InlineData(100, 0.125, 12)] // 12.5 rounds to even
    public void LongSideIsTheScaleTimesTheResultsWithAFloorOfEight(long content, double scale, int expected) =>
        Assert.Equal(expected, StyleSize.LongSide(content, scale));

    [Fact]
    public void TheDriverResizesTheStyleToTheSameSize()
    {
        Torch.Ready();
        using var content = zeros(1, 3, 12, 16);
        using var style = rand(1, 3, 60, 80);
        foreach (double scale in new[] { 0.25, 0.5, 1.5 })
        {
            using var resized = StyleTransfer.ResizeStyle(style, content, scale);
            Assert.Equal(StyleSize.LongSide(16, scale), Math.Max(resized.shape[2], resized.shape[3]));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(9.0)]
    public void ScalesOutsideTheRangeAreRefused(double scale) =>
        Assert.Throws<NotebookStyleException>(() => StyleSize.LongSide(100, scale));
}
