using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Visualization;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Visualization;

public class LossGradientTests
{
    [Fact]
    public void TotalVariationGradientIsZeroOnAFlatImageAndNotOnNoise()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var flat = full(1, 3, 12, 12, 0.5f);
        using var noise = rand(1, 3, 12, 12, generator: new Generator(3));
        var tv = new TotalVariation(1.0);
        using var g0 = LossGradient.Of(net, tv, flat);
        using var g1 = LossGradient.Of(net, tv, noise);
        Assert.Equal(new long[] { 1, 3, 12, 12 }, g0.shape);
        Assert.Equal(0f, g0.abs().max().item<float>());
        Assert.True(g1.abs().max().item<float>() > 0);
    }

    [Fact]
    public void ContentGradientAndItsPicture()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var content = rand(1, 3, 16, 12, generator: new Generator(4));
        using var start = rand(1, 3, 16, 12, generator: new Generator(5));
        using var features = no_grad() is var ng ? net.ExtractRgb(content, ["relu1_1"])["relu1_1"] : null!;
        ng.Dispose();
        var loss = new ContentLoss("relu1_1", features);
        using var g = LossGradient.Of(net, loss, start);
        Assert.True(g.abs().sum().item<float>() > 0);
        using var picture = LossGradient.Render(g);
        Assert.Equal(12, picture.Width);
        Assert.Equal(16, picture.Height);
    }

    [Fact]
    public void TheShareOfAPullInsideAMaskIsOneWhereItPullsOnlyThereAndTheAreaWhereItPullsAlike()
    {
        Torch.Ready();
        using var scope = NewDisposeScope();
        var mask = zeros(8, 8);
        mask[2..6, 2..6] = tensor(1f);
        var onlyInside = zeros(1, 3, 8, 8);
        onlyInside[.., .., 2..6, 2..6] = tensor(0.3f);
        Assert.Equal(1.0, LossGradient.ShareInside(onlyInside, mask, strongest: 0.25), 6);
        Assert.Equal(16.0 / 64, LossGradient.ShareInside(onlyInside, mask, strongest: 1), 6);
        // Strongest outside, weaker inside: the strongest tenth lies outside.
        var mostlyOutside = onlyInside.add(mask.logical_not().to_type(ScalarType.Float32).mul(2));
        Assert.Equal(0.0, LossGradient.ShareInside(mostlyOutside, mask.reshape(1, 1, 8, 8)), 6);
        Assert.Throws<NotebookStyleException>(() => LossGradient.ShareInside(onlyInside, zeros(4, 4)));
        Assert.Throws<NotebookStyleException>(() => LossGradient.ShareInside(zeros(1, 3, 8, 8), mask));
    }

    [Fact]
    public void OverThePictureTheColoursAreOpaqueWhereThePullIsStrongAndThePictureShowsWhereItIsWeak()
    {
        Torch.Ready();
        using var scope = NewDisposeScope();
        var gradient = zeros(1, 3, 8, 8);
        gradient[.., .., 0..4, ..] = tensor(1f);                  // a strong pull in the top half
        var picture = zeros(1, 3, 8, 8);
        picture[.., .., .., 4..] = tensor(1f);                    // the picture: black left, white right
        using var over = LossGradient.Render(gradient, over: picture);
        using var plain = LossGradient.Render(gradient);
        Assert.Equal(plain[1, 1], over[1, 1]);                     // strong pull: the colour map's own colour
        Assert.Equal(plain[6, 1], over[6, 1]);
        Assert.NotEqual(over[1, 6], over[6, 6]);                  // no pull: the picture shows (dark left, light right)
        Assert.True(over[6, 6].R > over[1, 6].R);
        Assert.Throws<NotebookStyleException>(() => LossGradient.Render(gradient, over: zeros(1, 3, 4, 4)));
        using var sheet = LossGradient.Sheet([("a", gradient), ("b", gradient)], picture, height: 32);
        Assert.True(sheet.Width > 64 && sheet.Height > 32 + 12, $"{sheet.Width}×{sheet.Height}: two panels and a colour bar");
    }
}
