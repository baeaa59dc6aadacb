using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

/// <summary>Pixel comparisons with a per-channel tolerance.</summary>
internal static class Pixels
{
    public static void Near(Rgb24 expected, Rgb24 actual, int tolerance)
    {
        int d = Math.Max(Math.Abs(expected.R - actual.R), Math.Max(Math.Abs(expected.G - actual.G), Math.Abs(expected.B - actual.B)));
        Assert.True(d <= tolerance, $"expected {expected} ± {tolerance}, got {actual}");
    }
}
