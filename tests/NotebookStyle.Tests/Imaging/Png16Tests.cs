using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

/// <summary>16-bit PNG output for prints: 65,535 levels per channel, read back as written.</summary>
public class Png16Tests
{
    public Png16Tests() => Torch.Ready();

    [Fact]
    public void SixteenBitPngsKeepLevelsThatEightBitsRoundAway()
    {
        string path = Path.Combine(Path.GetTempPath(), $"png16-{Guid.NewGuid():N}.png");
        try
        {
            // A smooth ramp: at 8 bits neighbouring values collapse into one level; at 16 bits they stay apart.
            using var ramp = linspace(0.5, 0.5 + 1.0 / 512, 64).reshape(1, 1, 1, 64).expand(1, 3, 4, 64).contiguous();
            ImageWriter.SavePng16(ramp, path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(16, bytes[24]); // IHDR bit depth
            Assert.Equal(2, bytes[25]);  // colour type RGB
            using var read = Image.Load<Rgb48>(path);
            Assert.Equal(64, read.Width);
            var levels = Enumerable.Range(0, 64).Select(x => (int)read[x, 0].R).ToList();
            Assert.True(levels.Distinct().Count() > 60, $"{levels.Distinct().Count()} distinct levels");
            for (int x = 0; x < 64; x++)
                Assert.InRange(Math.Abs(levels[x] / 65535.0 - ramp[0, 0, 0, x].ToDouble()), 0, 1.0 / 65535);
            using var eight = ImageTensor.ToImage(ramp);
            Assert.True(Enumerable.Range(0, 64).Select(x => eight[x, 0].R).Distinct().Count() <= 3);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
