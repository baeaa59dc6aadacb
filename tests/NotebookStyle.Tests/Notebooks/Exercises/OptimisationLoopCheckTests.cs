using NotebookStyle.Notebooks;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks.Exercises;

/// <summary>Lesson 04's loop check: the clamp and the best image; the last image, a missing clamp and the stub fail by name.</summary>
public class OptimisationLoopCheckTests
{
    public OptimisationLoopCheckTests() => Torch.Ready();

    /// <summary>The lesson's solution, with switches to get it wrong on purpose.</summary>
    private static OptimisationLoopCheck.Loop Loop(bool clamp = true, bool keepBest = true, bool copy = true, bool clampAtEnd = false) =>
        (x, objective, optimizer, steps) =>
        {
            Tensor best = x.detach().clone();
            double bestLoss = double.PositiveInfinity;
            for (int step = 0; step < steps; step++)
            {
                optimizer.zero_grad();
                var loss = objective(x);
                double value = loss.item<float>();
                if (value < bestLoss) { bestLoss = value; best = copy ? x.detach().clone() : x.detach(); }
                loss.backward();
                optimizer.step();
                if (clamp) using (no_grad()) x.clamp_(0, 1);
            }
            var answer = keepBest ? best : x.detach().clone();
            return clampAtEnd ? answer.clamp(0, 1) : answer;
        };

    private static string Fails(OptimisationLoopCheck.Loop answer)
    {
        var outcome = OptimisationLoopCheck.Evaluate(answer);
        Assert.False(outcome.Passed, outcome.Message);
        Assert.Throws<ExerciseCheckException>(() => Check.OptimisationLoop(answer));
        return outcome.Message;
    }

    [Fact]
    public void TheRightAnswerPasses()
    {
        var outcome = OptimisationLoopCheck.Evaluate(Loop());
        Assert.True(outcome.Passed, outcome.Message);
        Assert.StartsWith("✔ 20 evaluations, every image within [0, 1]", outcome.Message);
    }

    [Fact]
    public void TheStubFails() =>
        Assert.Contains("the objective was never evaluated", Fails((x, _, _, _) => x.detach().clone()));

    [Fact]
    public void EachUsualMistakeIsNamed()
    {
        Assert.Contains("clamp x to [0, 1] after every optimizer step", Fails(Loop(clamp: false)));
        Assert.Contains("clamp x to [0, 1] after every optimizer step", Fails(Loop(clamp: false, clampAtEnd: true)));
        Assert.Contains("it is the last image, but step", Fails(Loop(keepBest: false)));
        Assert.Contains("keep the best image seen, as a copy", Fails(Loop(copy: false)));
        Assert.Contains("x never changed", Fails((x, objective, optimizer, steps) =>
        {
            for (int i = 0; i < steps; i++) objective(x);
            return x.detach().clone();
        }));
        Assert.Contains("evaluated 1 time(s) for 20 steps", Fails((x, objective, optimizer, steps) =>
        {
            objective(x).backward();
            optimizer.step();
            return x.detach().clone();
        }));
        Assert.Contains("still attached to the graph", Fails((x, objective, optimizer, steps) =>
        {
            Loop()(x, objective, optimizer, steps);
            return x.clamp(0, 1);
        }));
        Assert.Contains("your loop threw", Fails((x, objective, optimizer, steps) =>
        {
            objective(x.detach()).backward();
            return x;
        }));
    }
}
