using NotebookStyle.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

/// <summary>The one home of region masks: checks a map, resamples it by area (a mask is a mass).</summary>
public class RegionMaskTests
{
    public RegionMaskTests() => Torch.Ready();

    [Fact]
    public void ShrinkingKeepsAThinRegionsMass()
    {
        // A 2-pixel stripe in a 64-pixel-wide map, shrunk 8×: bilinear sampling can miss it or double it; area keeps Σm.
        using var mask = zeros(1, 1, 64, 64);
        mask[.., .., .., 27..29] = tensor(1f);
        using var small = RegionMask.At(mask, 8, 8);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, small.shape);
        Assert.Equal(mask.sum().ToDouble() / 64, small.sum().ToDouble(), 5);
        Assert.Equal(0.25, small.max().ToDouble(), 6);
    }

    [Fact]
    public void EnlargingStaysInTheUnitIntervalAndKeepsTheSameSize()
    {
        using var mask = tensor(new float[] { 0, 1, 1, 0 }, [2, 2]);
        using var big = RegionMask.At(mask, 6, 6, ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, big.dtype);
        Assert.True(big.min().ToDouble() >= 0 && big.max().ToDouble() <= 1);
        Assert.Equal(0.5 * 36, big.sum().ToDouble(), 6);
        using var same = RegionMask.At(mask, 2, 2);
        Assert.Equal(mask.reshape(-1).data<float>().ToArray(), same.reshape(-1).data<float>().ToArray());
    }

    [Fact]
    public void ABadMaskIsRefusedByName()
    {
        Assert.Contains("[1, 1, H, W]", Assert.Throws<NotebookStyleException>(() => RegionMask.Checked(ones(2, 1, 4, 4))).Message);
        Assert.Contains("[0, 1]", Assert.Throws<NotebookStyleException>(() => RegionMask.Checked(full(new long[] { 4, 4 }, 2f))).Message);
        Assert.Contains("[0, 1]", Assert.Throws<NotebookStyleException>(() => RegionMask.Checked(full(new long[] { 4, 4 }, -0.5f))).Message);
    }
}
