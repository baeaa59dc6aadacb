using NotebookStyle.Notebooks;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks.Exercises;

/// <summary>Lesson 03's total-variation check: the right answer passes; each usual slip and the stub get their own message.</summary>
public class TotalVariationCheckTests
{
    public TotalVariationCheckTests() => Torch.Ready();

    private static (Tensor A, Tensor B, Tensor Dv, Tensor Dh) Parts(Tensor x)
    {
        long h = x.shape[2], w = x.shape[3];
        var core = x[.., .., ..(int)(h - 1), ..(int)(w - 1)];
        var dv = core - x[.., .., 1.., ..(int)(w - 1)];
        var dh = core - x[.., .., ..(int)(h - 1), 1..];
        return (dv.square(), dh.square(), dv, dh);
    }

    /// <summary>The lesson's solution.</summary>
    public static Tensor Right(Tensor x, double p)
    {
        var (a, b, _, _) = Parts(x);
        return (a + b).pow(p).sum();
    }

    private static string Fails(Func<Tensor, double, Tensor> answer)
    {
        var outcome = TotalVariationCheck.Evaluate(answer);
        Assert.False(outcome.Passed, outcome.Message);
        Assert.Throws<ExerciseCheckException>(() => Check.TotalVariation(answer));
        return outcome.Message;
    }

    [Fact]
    public void TheRightAnswerPasses()
    {
        var outcome = TotalVariationCheck.Evaluate(Right);
        Assert.True(outcome.Passed, outcome.Message);
        Assert.Equal(outcome.Message, Check.TotalVariation(Right));
    }

    [Fact]
    public void TheStubFails() => Assert.Contains("0 on an image that is not flat", Fails((_, _) => tensor(0f)));

    [Fact]
    public void EachUsualSlipIsNamed()
    {
        Assert.Contains("the power p is missing", Fails((x, p) => { var (a, b, _, _) = Parts(x); return (a + b).sum(); }));
        Assert.Contains("use the argument p, not a fixed 1.25", Fails((x, p) => Right(x, 1.25)));
        Assert.Contains("the power is on a and b separately", Fails((x, p) => { var (a, b, _, _) = Parts(x); return a.pow(p).sum() + b.pow(p).sum(); }));
        Assert.Contains("absolute differences", Fails((x, p) => { var (_, _, dv, dh) = Parts(x); return (dv.abs() + dh.abs()).pow(p).sum(); }));
        Assert.Contains("only the vertical differences", Fails((x, p) => Parts(x).A.pow(p).sum()));
        Assert.Contains("only the horizontal differences", Fails((x, p) => Parts(x).B.pow(p).sum()));
        Assert.Contains("the channels were summed before the power", Fails((x, p) => { var (a, b, _, _) = Parts(x); return (a + b).sum(1).pow(p).sum(); }));
        Assert.Contains("a mean, not a sum: yours is the expected value divided by 60", Fails((x, p) => { var (a, b, _, _) = Parts(x); return (a + b).pow(p).mean(); }));
        Assert.Contains("has shape [1, 3, 4, 5]", Fails((x, p) => { var (a, b, _, _) = Parts(x); return (a + b).pow(p); }));
        Assert.Contains("no gradient can flow back", Fails((x, p) => tensor(Right(x, p).item<float>())));
    }
}
