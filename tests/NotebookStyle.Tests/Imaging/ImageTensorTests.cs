using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

public class ImageTensorTests
{
    private static Image<Rgb24> RandomImage(int width, int height, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[width * height * 3];
        random.NextBytes(bytes);
        return Image.LoadPixelData<Rgb24>(bytes, width, height);
    }

    private static byte[] PixelBytes(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    [Fact]
    public void FromImageThenToImageIsExactForEightBit()
    {
        Torch.Ready();
        using var image = RandomImage(7, 5, seed: 1);
        using var t = ImageTensor.FromImage(image);
        Assert.Equal(new long[] { 1, 3, 5, 7 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        var p = image[6, 4];
        Assert.Equal(p.R / 255f, t[0, 0, 4, 6].item<float>());
        Assert.Equal(p.G / 255f, t[0, 1, 4, 6].item<float>());
        Assert.Equal(p.B / 255f, t[0, 2, 4, 6].item<float>());
        using var back = ImageTensor.ToImage(t);
        Assert.Equal(PixelBytes(image), PixelBytes(back));

        // Every one of the 256 levels survives.
        using var ramp = new Image<Rgb24>(256, 1);
        for (int x = 0; x < 256; x++) ramp[x, 0] = new Rgb24((byte)x, (byte)(255 - x), (byte)(x * 7));
        using var rt = ImageTensor.FromImage(ramp);
        using var rampBack = ImageTensor.ToImage(rt);
        Assert.Equal(PixelBytes(ramp), PixelBytes(rampBack));
    }

    [Fact]
    public void ToImageClampsRoundsAndAcceptsThreeDimensions()
    {
        Torch.Ready();
        using var t = tensor(new float[] { -0.5f, 0.5f, 1.5f, float.NaN, 0.2f / 255f, 0.6f / 255f }, [3, 1, 2]);
        using var image = ImageTensor.ToImage(t);
        Assert.Equal((2, 1), (image.Width, image.Height));
        Assert.Equal(new Rgb24(0, 255, 0), image[0, 0]); // R -0.5 → 0, G 1.5 → 255, B 0.2/255 → 0
        Assert.Equal(new Rgb24(128, 0, 1), image[1, 0]); // R 0.5 → 127.5 → 128, G NaN → 0, B 0.6/255 → 1
    }

    [Fact]
    public void ToImageRefusesWrongShapes()
    {
        Torch.Ready();
        using var batch = zeros(2, 3, 4, 4);
        Assert.Contains("batch of 2", Assert.Throws<NotebookStyleException>(() => ImageTensor.ToImage(batch)).Message);
        using var grey = zeros(1, 1, 4, 4);
        Assert.Throws<NotebookStyleException>(() => ImageTensor.ToImage(grey));
        using var flat = zeros(3, 16);
        Assert.Throws<NotebookStyleException>(() => ImageTensor.ToImage(flat));
    }

    [Theory]
    [InlineData(979, 734, 256, 256, 192)]   // golden_gate: 734·256/979 = 191.9
    [InlineData(734, 979, 256, 192, 256)]   // portrait
    [InlineData(4, 2, 3, 3, 2)]             // 1.5 rounds away from zero
    [InlineData(2, 4, 3, 2, 3)]
    [InlineData(1000, 1, 10, 10, 1)]        // never below 1 px
    [InlineData(10, 5, 40, 40, 20)]         // up as well as down
    [InlineData(30, 30, 7, 7, 7)]
    public void ResizeLongSideKeepsTheAspectRatio(int w, int h, int longSide, int ew, int eh)
    {
        Assert.Equal((ew, eh), ImageLoader.LongSideSize(w, h, longSide));
        using var image = new Image<Rgb24>(w, h, new Rgb24(50, 100, 150));
        using var resized = ImageLoader.ResizeLongSide(image, longSide);
        Assert.Equal((ew, eh), (resized.Width, resized.Height));
        Pixels.Near(new Rgb24(50, 100, 150), resized[ew / 2, eh / 2], 1);
    }

    [Fact]
    public void ResizeToTheSameSizeIsAnExactCopyAndBadSizesAreRefused()
    {
        using var image = RandomImage(9, 6, seed: 2);
        using var same = ImageLoader.ResizeLongSide(image, 9);
        Assert.Equal(PixelBytes(image), PixelBytes(same));
        Assert.Throws<NotebookStyleException>(() => ImageLoader.ResizeLongSide(image, 0));
        Assert.Throws<NotebookStyleException>(() => ImageLoader.Resize(image, 5, 0));
    }

    [Fact]
    public void SavePngIsAtomicAndReloadsExactly()
    {
        Torch.Ready();
        string folder = ImagingFiles.TempFolder();
        string path = Path.Combine(folder, "deep", "er", "out.png");
        using var image = RandomImage(11, 4, seed: 3);
        using var t = ImageTensor.FromImage(image);
        ImageTensor.SavePng(t, path);
        Assert.Equal(["out.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        using (var reloaded = ImageLoader.Load(path)) Assert.Equal(PixelBytes(image), PixelBytes(reloaded));

        // Overwriting replaces the file, again with nothing left beside it.
        using var other = RandomImage(3, 2, seed: 4);
        ImageTensor.SavePng(other, path);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        using (var reloaded = ImageLoader.Load(path)) Assert.Equal(PixelBytes(other), PixelBytes(reloaded));
    }

    [Fact]
    public void FailedSaveLeavesNoTemporaryFile()
    {
        string folder = ImagingFiles.TempFolder();
        string target = Path.Combine(folder, "taken.png");
        Directory.CreateDirectory(target); // the target name is a folder: the final rename must fail
        using var image = RandomImage(2, 2, seed: 5);
        Assert.ThrowsAny<IOException>(() => ImageTensor.SavePng(image, target));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void LoadResizesAndReturnsATensor()
    {
        Torch.Ready();
        using var t = ImageTensor.Load(Path.Combine(ImagingFiles.SharedImages, "golden_gate.jpg"), longSide: 64);
        Assert.Equal(new long[] { 1, 3, 48, 64 }, t.shape);
        Assert.InRange(t.min().item<float>(), 0f, 1f);
        Assert.InRange(t.max().item<float>(), 0f, 1f);
    }
}
