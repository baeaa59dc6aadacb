using NotebookStyle.Notebooks;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks.Exercises;

/// <summary>Lesson 03's style-loss check: the exact factor a wrong answer is off by, the graph cut, the wrong Gram, the stub.</summary>
public class StyleLossCheckTests
{
    public StyleLossCheckTests() => Torch.Ready();

    private static Tensor Gram(Tensor features)
    {
        var rows = features.reshape(features.shape[1], -1);
        return rows.matmul(rows.t());
    }

    /// <summary>The lesson's solution, with a divisor to get it wrong on purpose.</summary>
    private static Tensor Loss(Tensor f, Tensor s, Func<long, long, double> divisor)
    {
        long n = f.shape[1], m = f.shape[2] * f.shape[3];
        return Gram(f).sub(Gram(s)).square().sum().div(divisor(n, m));
    }

    private static string Fails(Func<Tensor, Tensor, Tensor> answer)
    {
        var outcome = StyleLossCheck.Evaluate(answer);
        Assert.False(outcome.Passed, outcome.Message);
        Assert.Throws<ExerciseCheckException>(() => Check.StyleLayerLoss(answer));
        return outcome.Message;
    }

    [Fact]
    public void TheRightAnswerPasses()
    {
        var outcome = StyleLossCheck.Evaluate((f, s) => Loss(f, s, (n, m) => 4.0 * n * n * m * m));
        Assert.True(outcome.Passed, outcome.Message);
        Assert.Contains("N = 3 channels and M = 20 positions", outcome.Message);
    }

    [Fact]
    public void TheStubFails() =>
        Assert.Equal("✘ the loss is 0, but the image's Gram matrix differs from the painting's.", Fails((_, _) => tensor(0f)));

    [Theory]
    [InlineData(0, "4·N²·M² times", "nothing was divided")]
    [InlineData(1, "your loss is 4 times", "the 4 is missing")]
    [InlineData(2, "N²·M² times", "every factor once")]
    [InlineData(3, "your loss is 1/M² times", "a mean over positions")]
    [InlineData(4, "your loss is 4·N times", "divide the sum of squares by 4·N²·M², once")]
    public void AFactorOffIsNamedExactly(int which, string factor, string hint)
    {
        Func<long, long, double> divisor = which switch
        {
            0 => (_, _) => 1,
            1 => (n, m) => (double)n * n * m * m,
            2 => (_, _) => 4,
            3 => (n, m) => 4.0 * n * n * m * m * m * m,
            _ => (n, m) => (double)n * m * m,
        };
        string message = Fails((f, s) => Loss(f, s, divisor));
        Assert.Contains(factor, message);
        Assert.Contains(hint, message);
    }

    [Fact]
    public void TheOtherUsualMistakesAreNamed()
    {
        Assert.Contains("has shape [3, 3]: it must be one number", Fails((f, s) => Gram(f).sub(Gram(s)).square().div(4.0 * 9 * 400)));
        Assert.Contains("no gradient can flow back", Fails((f, s) => tensor(Loss(f, s, (n, m) => 4.0 * n * n * m * m).item<float>())));
        Assert.Contains("Gram matrix of the positions, Fᵀ·F", Fails((f, s) =>
        {
            var a = f.reshape(3, 20);
            var b = s.reshape(3, 20);
            return a.t().matmul(a).sub(b.t().matmul(b)).square().sum().div(4.0 * 9 * 400);
        }));
        Assert.Contains("not squared", Fails((f, s) => Gram(f).sub(Gram(s)).abs().sum().div(4.0 * 9 * 400)));
        Assert.Contains("is not written yet", Fails((_, _) => throw new NotImplementedException("your turn")));
        Assert.Contains("not a power of 4, N = 3 or M = 20", Fails((f, s) => Loss(f, s, (n, m) => 4.0 * n * n * m * m).mul(1.7)));
    }
}
