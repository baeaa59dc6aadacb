using NotebookStyle.Losses;
using NotebookStyle.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>The evaluation the driver and the benchmarks hand their optimisers: stops are results, not exceptions.</summary>
public class ObjectiveEvaluatorTests(DriverFixture fx) : IClassFixture<DriverFixture>
{
    private StyleTransferObjective Objective(double contentWeight = 1e-4)
    {
        var settings = ResolvedSettings.Resolve(DriverFixture.Settings() with { ContentWeight = contentWeight }, fx.Network);
        return settings.CreateObjective(fx.Network, fx.Content, fx.Style);
    }

    [Fact]
    public void AnEvaluationLeavesTheGradientAndRecordsItsTermsAndTheBestPoint()
    {
        using var objective = Objective();
        using var x = new Parameter(fx.Content.clone(), requires_grad: true);
        using var evaluator = new ObjectiveEvaluator(objective, x);
        double? first = evaluator.Evaluate();
        Assert.NotNull(first);
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().ToDouble() > 0);
        Assert.Single(evaluator.Terms);
        Assert.Equal(first!.Value, evaluator.TermsOf(1).Total, 3);
        Assert.Equal(first.Value, evaluator.BestLoss);
        // A worse point is evaluated but does not replace the best one.
        using (no_grad()) x.add_(0.5);
        double? second = evaluator.Evaluate();
        Assert.True(second > first, $"{second} vs {first}");
        Assert.Equal(2, evaluator.Terms.Count);
        Assert.Equal(first.Value, evaluator.BestLoss);
        Assert.Equal(fx.Content.data<float>().ToArray(), evaluator.Best.data<float>().ToArray());
        Assert.Equal(EvaluationStop.None, evaluator.Stop);
    }

    [Fact]
    public void ASpentBudgetStopsBeforeEvaluating()
    {
        using var objective = Objective();
        using var x = new Parameter(fx.Content.clone(), requires_grad: true);
        using var evaluator = new ObjectiveEvaluator(objective, x, maxEvaluations: 2);
        Assert.NotNull(evaluator.Evaluate());
        Assert.NotNull(evaluator.Evaluate());
        Assert.Null(evaluator.Evaluate());
        Assert.Equal(EvaluationStop.BudgetSpent, evaluator.Stop);
        Assert.Equal(2, evaluator.Terms.Count);
    }

    [Fact]
    public void CancellationStopsBeforeEvaluating()
    {
        using var objective = Objective();
        using var x = new Parameter(fx.Content.clone(), requires_grad: true);
        using var cancel = new CancellationTokenSource();
        using var evaluator = new ObjectiveEvaluator(objective, x, cancellationToken: cancel.Token);
        Assert.NotNull(evaluator.Evaluate());
        cancel.Cancel();
        Assert.Null(evaluator.Evaluate());
        Assert.Equal(EvaluationStop.Cancelled, evaluator.Stop);
        Assert.Single(evaluator.Terms);
    }

    [Fact]
    public void ANonFiniteLossStopsAndSaysWhichValueItWas()
    {
        using var objective = Objective(contentWeight: double.NaN);
        using var x = new Parameter(fx.Content.clone(), requires_grad: true);
        using var evaluator = new ObjectiveEvaluator(objective, x);
        Assert.Null(evaluator.Evaluate());
        Assert.Equal(EvaluationStop.NonFiniteLoss, evaluator.Stop);
        Assert.True(double.IsNaN(evaluator.NonFiniteLoss));
        Assert.Empty(evaluator.Terms);
        // Once stopped, it stays stopped.
        Assert.Null(evaluator.Evaluate());
        Assert.Equal(fx.Content.data<float>().ToArray(), evaluator.Best.data<float>().ToArray());
    }

    [Fact]
    public void AStoppedEvaluationEndsAnLbfgsRunAtItsLastAcceptedPoint()
    {
        using var objective = Objective();
        using var x = new Parameter(fx.Content.clone().contiguous(), requires_grad: true);
        using var evaluator = new ObjectiveEvaluator(objective, x, maxEvaluations: 3);
        using var lbfgs = new Lbfgs(x, evaluator.Evaluate);
        var outcomes = new List<StepOutcome>();
        while (outcomes.Count < 10 && (outcomes.Count == 0 || outcomes[^1] == StepOutcome.Stepped)) outcomes.Add(lbfgs.Step());
        Assert.Equal(StepOutcome.Stopped, outcomes[^1]);
        Assert.Equal(3, evaluator.Terms.Count);
        Assert.Equal(3, lbfgs.Evaluations);
        Assert.Equal(evaluator.TermsOf(lbfgs.AcceptedEvaluation).Total, lbfgs.Loss, 3);
    }
}
