using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Quality;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks;

public class StyleLossComparisonTests
{
    private static ExperimentResult Result(StyleLossKind kind, Tensor image, double ssim) =>
        new(new Experiment(kind.ToString(), new StyleTransferSettings { StyleLoss = kind }), image,
            new LossTerms(new Dictionary<string, double>(), 0), TimeSpan.Zero, new QualityFigures(ssim, 0.5, 0, 0));

    [Fact]
    public void WithThePapersScalingAWassersteinResultNearerThePhotoPasses()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var photo = rand(1, 3, 16, 16, generator: new Generator(1));
        var painting = new Painting("p", rand(1, 3, 16, 16, generator: new Generator(2)));
        using var run = new ExperimentOutcome("Style loss", [Result(StyleLossKind.Gram, photo.clone(), 0.64), Result(StyleLossKind.Wasserstein, photo.clone(), 0.99)], []);
        string line = StyleLossComparison.Expect(net, run, photo, painting, new StyleTransferSettings(), _ => { });
        Assert.StartsWith("✔ the paper's scaling (vgg19)", line.ToLowerInvariant());
        Assert.Contains("0.64 → 0.99", line);
    }

    [Fact]
    public void WithThePapersScalingTwoAlikeResultsFail()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var photo = rand(1, 3, 16, 16, generator: new Generator(1));
        var painting = new Painting("p", rand(1, 3, 16, 16, generator: new Generator(2)));
        using var run = new ExperimentOutcome("Style loss", [Result(StyleLossKind.Gram, photo.clone(), 0.61), Result(StyleLossKind.Wasserstein, photo.clone(), 0.59)], []);
        var ex = Assert.Throws<DemonstrationFailedException>(() => StyleLossComparison.Expect(net, run, photo, painting, new StyleTransferSettings(), _ => { }));
        Assert.StartsWith("✘ ", ex.Message);
    }

    [Fact]
    public void WithTargetScalingTheChannelCovariancesDecide()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var photo = rand(1, 3, 16, 16, generator: new Generator(1));
        var painting = new Painting("p", rand(1, 3, 16, 16, generator: new Generator(2)).mul(0.3));
        var targetScaled = new StyleTransferSettings { Normalization = LossNormalization.TargetNorm };
        // The Wasserstein result is the painting itself (covariance gap 0), the Gram one the photo (covariance gap 1).
        using (var run = new ExperimentOutcome("Style loss", [Result(StyleLossKind.Gram, photo.clone(), 0.6), Result(StyleLossKind.Wasserstein, painting.Image.clone(), 0.6)], []))
            Assert.Contains("1.00 → 0.00", StyleLossComparison.Expect(net, run, photo, painting, targetScaled, _ => { }));
        using (var swapped = new ExperimentOutcome("Style loss", [Result(StyleLossKind.Gram, painting.Image.clone(), 0.6), Result(StyleLossKind.Wasserstein, photo.clone(), 0.6)], []))
            Assert.Throws<DemonstrationFailedException>(() => StyleLossComparison.Expect(net, swapped, photo, painting, targetScaled, _ => { }));
    }

    [Fact]
    public void ARunWithoutBothLossesIsAClearError()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var photo = rand(1, 3, 16, 16, generator: new Generator(1));
        using var run = new ExperimentOutcome("Style loss", [Result(StyleLossKind.Gram, photo.clone(), 0.6)], []);
        var ex = Assert.Throws<NotebookStyleException>(() => StyleLossComparison.Expect(net, run, photo, new Painting("p", photo), new StyleTransferSettings(), _ => { }));
        Assert.Contains("no Wasserstein result", ex.Message);
    }
}
