using NotebookStyle.Visualization;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Visualization;

public class FeatureMapGridTests
{
    // Five 4×6 maps whose means are 2, 5, 1, 4, 3 (channel 1 most active, channel 2 least).
    private static Tensor Maps()
    {
        Torch.Ready();
        var means = new float[] { 2, 5, 1, 4, 3 };
        var data = new float[5 * 4 * 6];
        for (int c = 0; c < 5; c++)
        for (int i = 0; i < 24; i++)
            data[c * 24 + i] = means[c] + (i % 2 == 0 ? -0.5f : 0.5f) * (c + 1);
        return tensor(data).reshape(1, 5, 4, 6);
    }

    [Fact]
    public void SelectsMostActiveFirstAndEvenly()
    {
        using var f = Maps();
        Assert.Equal(new[] { 1, 3, 4 }, FeatureMapGrid.SelectChannels(f, new() { Count = 3 }));
        Assert.Equal(new[] { 0, 1, 2 }, FeatureMapGrid.SelectChannels(f, new() { Count = 3, Selection = ChannelSelection.First }));
        Assert.Equal(new[] { 0, 1, 3 }, FeatureMapGrid.SelectChannels(f, new() { Count = 3, Selection = ChannelSelection.Evenly }));
        Assert.Equal(new[] { 4, 0 }, FeatureMapGrid.SelectChannels(f, new() { Channels = [4, 0] }));
        Assert.Equal(5, FeatureMapGrid.SelectChannels(f, new() { Count = 50 }).Count);
    }

    [Fact]
    public void BadChannelsAndShapesAreNamedErrors()
    {
        using var f = Maps();
        Assert.Throws<NotebookStyleException>(() => FeatureMapGrid.SelectChannels(f, new() { Channels = [5] }));
        Assert.Throws<NotebookStyleException>(() => FeatureMapGrid.SelectChannels(f, new() { Count = 0 }));
        using var flat = zeros(4, 6);
        Assert.Throws<NotebookStyleException>(() => FeatureMapGrid.Render(flat));
        using var batch = zeros(2, 3, 4, 4);
        Assert.Throws<NotebookStyleException>(() => FeatureMapGrid.Render(batch));
    }

    [Fact]
    public void GridSizeFollowsCellsColumnsAndSpacing()
    {
        using var f = Maps();
        // 5 maps, 2 columns → 3 rows; cells 12 px wide (long side) → 12×8; no labels, no title.
        using var img = FeatureMapGrid.Render(f, new() { Count = 5, Columns = 2, CellSize = 12, Spacing = 3, Labels = false });
        Assert.Equal(2 * 12 + 3 * 3, img.Width);
        Assert.Equal(3 * 8 + 4 * 3, img.Height);
        using var labelled = FeatureMapGrid.Render(f, new() { Count = 5, Columns = 2, CellSize = 12, Spacing = 3, Title = "t" });
        Assert.True(labelled.Height > img.Height);
    }

    [Fact]
    public void EachMapIsNormalisedToItsOwnRange()
    {
        Torch.Ready();
        // Channel 0 spans 0..1, channel 1 spans 0..1000, channel 2 is constant: both ramps reach both ends of the colour map.
        var data = new float[3 * 2 * 2];
        float[] ramp = [0, 0.25f, 0.75f, 1];
        for (int i = 0; i < 4; i++) { data[i] = ramp[i]; data[4 + i] = ramp[i] * 1000; data[8 + i] = 7; }
        using var f = tensor(data).reshape(1, 3, 2, 2);
        using var img = FeatureMapGrid.Render(f, new() { Channels = [0, 1, 2], Columns = 3, CellSize = 2, Spacing = 1, Labels = false });
        Rgb24 lo = ColorMap.Viridis.Map(0), hi = ColorMap.Viridis.Map(1);
        for (int c = 0; c < 2; c++)
        {
            int x0 = 1 + c * 3;
            Assert.Equal(lo, img[x0, 1]);
            Assert.Equal(hi, img[x0 + 1, 2]);
        }
        Assert.Equal(lo, img[7, 1]);
        Assert.Equal(lo, img[8, 2]);
    }

    [Fact]
    public void ResampleAveragesWhenShrinkingAndRepeatsWhenEnlarging()
    {
        float[] src = [1, 3, 5, 7];
        Assert.Equal(new float[] { 4 }, FeatureMapGrid.Resample(src, 2, 2, 1, 1));
        Assert.Equal(new float[] { 1, 1, 3, 3, 1, 1, 3, 3, 5, 5, 7, 7, 5, 5, 7, 7 }, FeatureMapGrid.Resample(src, 2, 2, 4, 4));
    }
}
