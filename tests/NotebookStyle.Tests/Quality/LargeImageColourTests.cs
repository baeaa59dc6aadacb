using NotebookStyle.Imaging;
using NotebookStyle.Quality;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Quality;

/// <summary>
/// The colour figures read an image of more than <see cref="SlicedWasserstein.MaxPixels"/> pixels at that many evenly
/// spaced ones: the figures must agree with the exact ones (all pixels), and a region made of every pixel must still
/// give exactly the whole image's figure.
/// </summary>
public class LargeImageColourTests
{
    // The exact distance over every pixel: the same seeded directions, torch.quantile over all projections.
    private static Tensor ExactQuantiles(Tensor x)
    {
        var dirs = randn([64, 3], dtype: ScalarType.Float64, generator: new Generator(0));
        dirs = dirs.div(dirs.norm(1, keepdim: true));
        var q = linspace(0, 1, 256, dtype: ScalarType.Float64);
        return quantile(dirs.matmul(x.to_type(ScalarType.Float64).reshape(3, -1)), q, dim: 1);
    }

    private static double Exact(Tensor a, Tensor paintingQuantiles) => ExactQuantiles(a).sub(paintingQuantiles).abs().mean().item<double>();

    [Fact]
    public void APrintSizedImageIsSampledAndAgreesWithEveryPixel()
    {
        Torch.Ready();
        using var scope = NewDisposeScope();
        // A photo at 768 × 512 (393,216 pixels, 1.5× MaxPixels), its colours moved towards a blue painting's.
        var photo = ImageTensor.Load(TestPaths.SharedImage("golden_gate.jpg"), 768);
        var painting = ImageTensor.Load(TestPaths.SharedImage("starry_night.jpg"), 256);
        Assert.True(photo.shape[2] * photo.shape[3] > SlicedWasserstein.MaxPixels);
        var recoloured = photo.mul(0.6).add(tensor(new[] { 0.05f, 0.1f, 0.3f }).reshape(1, 3, 1, 1));
        var target = ExactQuantiles(painting);

        double sampled = SlicedWasserstein.Distance(recoloured, painting), exact = Exact(recoloured, target);
        Assert.InRange(sampled, exact - 0.002, exact + 0.002);
        double exactRatio = exact / Exact(photo, target);
        Assert.InRange(SlicedWasserstein.ColorRatio(recoloured, photo, painting), exactRatio - 0.01, exactRatio + 0.01);

        // Pixel order no longer cancels exactly (other pixels are sampled), but within the sampling's error.
        var shuffled = recoloured.reshape(3, -1).index_select(1, randperm(recoloured.shape[2] * recoloured.shape[3], generator: new Generator(3)))
            .reshape(recoloured.shape);
        double reordered = SlicedWasserstein.Distance(shuffled, recoloured);
        Assert.InRange(reordered, 0, 0.003);
        Assert.True(reordered > 0, "the sampled path was not taken: every pixel was read");

        // A region of every pixel reads the same samples as the whole image.
        Assert.Equal(sampled, RegionColor.Distance(recoloured, ones(1, 1, photo.shape[2], photo.shape[3]), painting), 12);
        // The left half (196,608 pixels, under the cap: every one read) gives the exact figure.
        int half = (int)(photo.shape[3] / 2);
        var left = zeros(1, 1, photo.shape[2], photo.shape[3]);
        left[.., .., .., ..half] = tensor(1f);
        double leftExact = Exact(recoloured[.., .., .., ..half].contiguous(), target);
        Assert.Equal(leftExact, RegionColor.Distance(recoloured, left, painting), 9);
    }
}
