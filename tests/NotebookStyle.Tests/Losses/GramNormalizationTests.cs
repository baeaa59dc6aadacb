using TorchSharp;
using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>The Gram matrix and the paper's 1/(4N²M²), checked against numbers worked out by hand.</summary>
public class GramNormalizationTests
{
    // N = 2 channels over M = 3 positions (a 1×3 map): F = [[1, 2, 3], [4, 5, 6]].
    private static Tensor Features() => tensor(new double[] { 1, 2, 3, 4, 5, 6 }, new long[] { 1, 2, 1, 3 });

    // S = [[0, 1, 0], [2, 0, 1]] → A = S·Sᵀ = [[1, 0], [0, 5]].
    private static Tensor StyleFeatures() => tensor(new double[] { 0, 1, 0, 2, 0, 1 }, new long[] { 1, 2, 1, 3 });

    [Fact]
    public void GramIsFTimesFTransposedExactly()
    {
        Torch.Ready();
        using var f = Features();
        using var g = GramMatrix.Compute(f);
        // F·Fᵀ = [[1+4+9, 4+10+18], [4+10+18, 16+25+36]].
        Assert.Equal(new long[] { 2, 2 }, g.shape);
        Assert.Equal(new double[] { 14, 32, 32, 77 }, g.data<double>().ToArray());
        using var f3 = f.squeeze(0);
        using var g3 = GramMatrix.Compute(f3);
        Assert.Equal(g.data<double>().ToArray(), g3.data<double>().ToArray());
        Assert.Equal((2L, 3L), GramMatrix.Size(f));
    }

    [Fact]
    public void GramOfARandomFeatureMapIsTheSumOverPositions()
    {
        Torch.Ready();
        using var f = rand(new long[] { 1, 3, 4, 5 }, dtype: ScalarType.Float64, generator: new Generator(3));
        using var g = GramMatrix.Compute(f);
        var a = f.data<double>().ToArray();
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
        {
            double sum = 0;
            for (int p = 0; p < 20; p++) sum += a[i * 20 + p] * a[j * 20 + p];
            Assert.Equal(sum, g[i, j].ToDouble(), 12);
        }
    }

    [Fact]
    public void PaperStyleLossIsSquaredGramDifferenceOverFourNSquaredMSquared()
    {
        Torch.Ready();
        using var f = Features();
        using var s = StyleFeatures();
        using var loss = new StyleLoss("l", s);
        using var weighted = new StyleLoss("l", s) { Weight = 10 };
        var features = new Dictionary<string, Tensor> { ["l"] = f };
        // G − A = [[13, 32], [32, 72]]: Σ² = 169 + 1024 + 1024 + 5184 = 7401; 4·N²·M² = 4·4·9 = 144.
        Assert.Equal(7401.0 / 144.0, loss.Compute(f, features).ToDouble(), 12);
        Assert.Equal(74010.0 / 144.0, weighted.Compute(f, features).ToDouble(), 10);
        Assert.Equal(2, loss.N);
        // The target is per position: A / M_s with A = [[1, 0], [0, 5]] over M_s = 3 positions.
        Assert.Equal(new double[] { 1, 0, 0, 5 }, loss.Target.mul(3).data<double>().ToArray().Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void TargetNormStyleLossDividesBySquaredNormOfTheStyleGram()
    {
        Torch.Ready();
        using var f = Features();
        using var s = StyleFeatures();
        using var loss = new StyleLoss("l", s, LossNormalization.TargetNorm);
        // ΣA² = 1 + 25 = 26.
        Assert.Equal(7401.0 / 26.0, loss.Compute(f, new Dictionary<string, Tensor> { ["l"] = f }).ToDouble(), 10);
    }

    [Theory]
    [InlineData(LossNormalization.Paper)]
    [InlineData(LossNormalization.TargetNorm)]
    public void AStyleImageOfAnotherSizeIsComparedPerPosition(LossNormalization normalization)
    {
        Torch.Ready();
        using var f = Features();
        // The same feature map tiled 2×2: four times the positions, four times the Gram sums, the same texture.
        using var tiled = f.repeat(1, 1, 2, 2);
        using var same = new StyleLoss("l", tiled, normalization);
        Assert.Equal(0.0, same.Compute(f, new Dictionary<string, Tensor> { ["l"] = f }).ToDouble(), 12);
        // Against another texture, the tiled style gives the loss of the untiled one.
        using var s = StyleFeatures();
        using var sTiled = s.repeat(1, 1, 2, 2);
        using var small = new StyleLoss("l", s, normalization);
        using var big = new StyleLoss("l", sTiled, normalization);
        var features = new Dictionary<string, Tensor> { ["l"] = f };
        Assert.Equal(small.Compute(f, features).ToDouble(), big.Compute(f, features).ToDouble(), 10);
    }

    [Fact]
    public void ContentLossIsTheSumOfSquares()
    {
        Torch.Ready();
        using var f = Features();
        using var p = StyleFeatures();
        var features = new Dictionary<string, Tensor> { ["l"] = f };
        // F − P = [[1, 1, 3], [2, 5, 5]]: Σ² = 1 + 1 + 9 + 4 + 25 + 25 = 65; ΣP² = 6.
        using var paper = new ContentLoss("l", p) { Weight = 0.5 };
        Assert.Equal(32.5, paper.Compute(f, features).ToDouble(), 12);
        using var norm = new ContentLoss("l", p, LossNormalization.TargetNorm);
        Assert.Equal(65.0 / 6.0, norm.Compute(f, features).ToDouble(), 12);
    }

    [Fact]
    public void LossesKeepTheirTargetsAfterTheCallersDisposeScopeCloses()
    {
        Torch.Ready();
        ContentLoss content;
        StyleLoss style;
        using (NewDisposeScope())
        {
            var p = StyleFeatures();
            content = new ContentLoss("l", p);
            style = new StyleLoss("l", p);
        }
        using (content)
        using (style)
        using (var f = Features())
        {
            var features = new Dictionary<string, Tensor> { ["l"] = f };
            Assert.Equal(65.0, content.Compute(f, features).ToDouble(), 12);
            Assert.Equal(7401.0 / 144.0, style.Compute(f, features).ToDouble(), 12);
        }
    }

    [Fact]
    public void GramOfABatchIsRefusedByName()
    {
        Torch.Ready();
        using var f = zeros(2, 3, 4, 4);
        Assert.Throws<NotebookStyleException>(() => GramMatrix.Compute(f));
    }
}
