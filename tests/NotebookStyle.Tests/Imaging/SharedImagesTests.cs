using System.Globalization;
using NotebookStyle.Imaging;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

/// <summary>The real photos and paintings in ../shared/images load, with the picture libjpeg (Pillow) sees.</summary>
public class SharedImagesTests
{
    /// <summary>shared_images.tsv, written by tests/reference/make_imaging_fixtures.py: file, size, libjpeg's mean R, G, B.</summary>
    public static TheoryData<string, int, int, double, double, double> Reference()
    {
        var data = new TheoryData<string, int, int, double, double, double>();
        foreach (var line in File.ReadLines(ImagingFiles.Fixture("shared_images.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            data.Add(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture), D(3), D(4), D(5));
        }
        return data;
    }

    [Fact]
    public void GoldenGateIdentifiesAs979By734()
    {
        Assert.Equal((979, 734, "JPEG"), ImageLoader.Identify(Path.Combine(ImagingFiles.SharedImages, "golden_gate.jpg")));
    }

    [Fact]
    public void EverySharedImageIsInTheReference()
    {
        var listed = Reference().Select(row => (string)row[0]).Order();
        var present = Directory.GetFiles(ImagingFiles.SharedImages, "*.jpg").Select(Path.GetFileName).Order();
        Assert.Equal(present, listed);
    }

    [Theory]
    [MemberData(nameof(Reference))]
    public void LoadsWithTheSizeAndColoursLibjpegSees(string file, int width, int height, double r, double g, double b)
    {
        string path = Path.Combine(ImagingFiles.SharedImages, file);
        Assert.Equal((width, height), (ImageLoader.Identify(path).Width, ImageLoader.Identify(path).Height));
        using var image = ImageLoader.Load(path);
        Assert.Equal((width, height), (image.Width, image.Height));
        double sr = 0, sg = 0, sb = 0;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
                foreach (Rgb24 p in rows.GetRowSpan(y)) { sr += p.R; sg += p.G; sb += p.B; }
        });
        double n = (double)width * height;
        // Decoders differ by IDCT and chroma upsampling; a different or broken picture moves the means by far more.
        Assert.Equal(r, sr / n, 0.75);
        Assert.Equal(g, sg / n, 0.75);
        Assert.Equal(b, sb / n, 0.75);
    }
}
