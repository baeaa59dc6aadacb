using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Optimization;

/// <summary>L-BFGS with strong Wolfe on classic test functions, in float64.</summary>
public class LineSearchTests
{
    /// <summary>A problem: the parameter, its objective (value and gradient into grad), and a count of calls.</summary>
    private sealed class Problem : IDisposable
    {
        private readonly Func<Tensor, Tensor> _f;

        public Problem(double[] start, Func<Tensor, Tensor> f)
        {
            _f = f;
            X = tensor(start, dtype: ScalarType.Float64).requires_grad_(true);
        }

        public Tensor X { get; }

        public int Calls { get; private set; }

        /// <summary>f of every evaluation, in order.</summary>
        public List<double> Values { get; } = [];

        public double? Evaluate()
        {
            Calls++;
            using var scope = NewDisposeScope();
            var v = _f(X);
            v.backward();
            Values.Add(v.ToDouble());
            return Values[^1];
        }

        public Lbfgs Optimizer(LbfgsOptions? options = null) => new(X, Evaluate, options);

        public double[] Point() => X.detach().data<double>().ToArray();

        public void Dispose() => X.Dispose();
    }

    // Σ 100(x[i+1] − x[i]²)² + (1 − x[i])², minimum 0 at (1, …, 1).
    private static Tensor Rosenbrock(Tensor x)
    {
        long n = x.shape[0];
        var a = x[1..];
        var b = x[..(int)(n - 1)];
        return a.sub(b.square()).square().mul(100).add(b.neg().add(1).square()).sum();
    }

    private static int Run(Lbfgs lbfgs, int maxIterations)
    {
        int i = 0;
        while (i < maxIterations && lbfgs.Step() == StepOutcome.Stepped) i++;
        return i;
    }

    private static void AssertWolfe(Lbfgs lbfgs, LbfgsOptions options)
    {
        Assert.NotEmpty(lbfgs.LineSearches);
        for (int i = 0; i < lbfgs.LineSearches.Count; i++)
        {
            var ls = lbfgs.LineSearches[i];
            Assert.True(ls.Slope0 < 0, $"line search {i}: not a descent direction ({ls})");
            Assert.True(ls.Step > 0, $"line search {i}: no step ({ls})");
            Assert.True(ls.Armijo(options.C1), $"line search {i}: sufficient decrease fails ({ls})");
            Assert.True(ls.StrongCurvature(options.C2), $"line search {i}: strong curvature fails ({ls})");
        }
    }

    [Fact]
    public void Rosenbrock2DReachesItsMinimumWithWolfeStepsAndOneEvaluationPerCall()
    {
        Torch.Ready();
        var options = new LbfgsOptions(ToleranceGrad: 1e-10, ToleranceChange: 1e-14);
        using var problem = new Problem([-1.2, 1.0], Rosenbrock);
        using var lbfgs = problem.Optimizer(options);
        int iterations = Run(lbfgs, 200);
        var x = problem.Point();
        Assert.True(iterations < 200, $"did not converge: {lbfgs.Loss}");
        Assert.Equal(1.0, x[0], 6);
        Assert.Equal(1.0, x[1], 6);
        Assert.True(lbfgs.Loss < 1e-12, $"f = {lbfgs.Loss}");
        AssertWolfe(lbfgs, options);
        // Bookkeeping: every call of the delegate is one evaluation; the start is evaluated once and then only the
        // line searches evaluate (f and ∇f at an accepted point are reused by the next iteration).
        Assert.Equal(problem.Calls, lbfgs.Evaluations);
        Assert.Equal(1 + lbfgs.LineSearches.Sum(l => l.Evaluations), problem.Calls);
    }

    [Fact]
    public void Rosenbrock10DReachesItsMinimum()
    {
        Torch.Ready();
        var options = new LbfgsOptions(ToleranceGrad: 1e-10, ToleranceChange: 1e-14);
        var start = Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray();
        using var problem = new Problem(start, Rosenbrock);
        using var lbfgs = problem.Optimizer(options);
        Run(lbfgs, 500);
        foreach (var v in problem.Point()) Assert.Equal(1.0, v, 5);
        Assert.True(lbfgs.Loss < 1e-10, $"f = {lbfgs.Loss}");
        AssertWolfe(lbfgs, options);
        Assert.Equal(problem.Calls, lbfgs.Evaluations);
    }

    [Fact]
    public void IllConditionedQuadraticReachesItsMinimum()
    {
        Torch.Ready();
        const int n = 30;
        var g = new Generator(11);
        // f = ½(x − c)ᵀA(x − c), A = Q·diag(λ)·Qᵀ with λ log-spaced over [1, 1e4] (condition number 1e4), Q a random
        // orthogonal matrix; minimum 0 at c. (Written around c so that f itself is computed without cancellation.)
        using var scope = NewDisposeScope();
        var (q, _) = linalg.qr(randn(new long[] { n, n }, dtype: ScalarType.Float64, generator: g));
        var lambda = logspace(0, 4, n, dtype: ScalarType.Float64);
        var a = q.mul(lambda).matmul(q.t());
        var c = randn(new long[] { n }, dtype: ScalarType.Float64, generator: g);
        Assert.InRange(linalg.cond(a).ToDouble(), 0.99e4, 1.01e4);

        var options = new LbfgsOptions(ToleranceGrad: 1e-12, ToleranceChange: 1e-30);
        using var problem = new Problem(new double[n], x => { var e = x.sub(c); return e.dot(a.matmul(e)).mul(0.5); });
        using var lbfgs = problem.Optimizer(options);
        int iterations = Run(lbfgs, 1000);
        using var x = problem.X.detach();
        double relErr = x.sub(c).norm().ToDouble() / c.norm().ToDouble();
        Assert.True(relErr < 1e-10, $"|x − c| / |c| = {relErr:E2} after {iterations} iterations ({lbfgs.ConvergedBecause}), f = {lbfgs.Loss:E2}");
        AssertWolfe(lbfgs, options);
        Assert.Equal(problem.Calls, lbfgs.Evaluations);
    }

    [Fact]
    public void FirstStepIsScaledByTheGradientsL1NormAsPyTorch()
    {
        Torch.Ready();
        // f = Σ x², start (3, 4): g = (6, 8), |g|₁ = 14, so the first trial step is t = 1/14 along d = −g. There
        // f = 25·(1 − 2t)² = 25·(6/7)² and ∇f·d = −100·(6/7), which meets both Wolfe conditions: accepted at once.
        using var problem = new Problem([3.0, 4.0], x => x.square().sum());
        using var lbfgs = problem.Optimizer();
        Assert.Equal(StepOutcome.Stepped, lbfgs.Step());
        var ls = lbfgs.LineSearches[0];
        Assert.Equal(25.0, ls.F0, 12);
        Assert.Equal(-100.0, ls.Slope0, 12);
        Assert.Equal(1.0 / 14, ls.Step, 15);
        Assert.Equal(1, ls.Evaluations);
        Assert.Equal(25.0 * 36 / 49, ls.F, 12);
        Assert.Equal(-600.0 / 7, ls.Slope, 12);
        // Second iteration: H = (sᵀy / yᵀy)·I is exact for f = Σ x², so the step t = 1 lands on the minimum.
        lbfgs.Step();
        Assert.Equal(1.0, lbfgs.LineSearches[1].Step, 15);
        Assert.True(lbfgs.Loss < 1e-20, $"f = {lbfgs.Loss}");
        Assert.Equal(3, problem.Calls);
    }

    [Fact]
    public void AnEvaluationThatThrowsLeavesTheParameterAtTheLastAcceptedPoint()
    {
        Torch.Ready();
        int calls = 0;
        using var x = tensor(new[] { 3.0, 4.0 }, dtype: ScalarType.Float64).requires_grad_(true);
        double? Evaluate()
        {
            if (++calls == 3) throw new OperationCanceledException();
            using var scope = NewDisposeScope();
            var v = x.square().sum();
            v.backward();
            return v.ToDouble();
        }
        using var lbfgs = new Lbfgs(x, Evaluate);
        Assert.Equal(StepOutcome.Stepped, lbfgs.Step()); // evaluations 1 (start) and 2 (accepted at t = 1/14: x = (3, 4)·6/7)
        Assert.Throws<OperationCanceledException>(() => lbfgs.Step()); // the line search's first trial throws
        var point = x.detach().data<double>().ToArray();
        Assert.Equal(3.0 * 6 / 7, point[0], 14);
        Assert.Equal(4.0 * 6 / 7, point[1], 14);
    }

    [Fact]
    public void AnEvaluationThatReturnsNullStopsTheRunAtTheLastAcceptedPoint()
    {
        Torch.Ready();
        int calls = 0;
        using var x = tensor(new[] { 3.0, 4.0 }, dtype: ScalarType.Float64).requires_grad_(true);
        double? Evaluate()
        {
            if (++calls >= 3) return null;
            using var scope = NewDisposeScope();
            var v = x.square().sum();
            v.backward();
            return v.ToDouble();
        }
        using var lbfgs = new Lbfgs(x, Evaluate);
        Assert.Equal(StepOutcome.Stepped, lbfgs.Step()); // evaluations 1 (start) and 2 (accepted at t = 1/14)
        Assert.Equal(StepOutcome.Stopped, lbfgs.Step()); // the line search's first trial says stop
        var point = x.detach().data<double>().ToArray();
        Assert.Equal(3.0 * 6 / 7, point[0], 14);
        Assert.Equal(4.0 * 6 / 7, point[1], 14);
        Assert.Equal(2, lbfgs.Evaluations);
        Assert.Equal(2, lbfgs.AcceptedEvaluation);
        Assert.Equal(25.0 * 36 / 49, lbfgs.Loss, 12);
        Assert.Single(lbfgs.LineSearches);
        // Stopped is final: no more evaluations are asked for.
        Assert.Equal(StepOutcome.Stopped, lbfgs.Step());
        Assert.Equal(3, calls);
    }

    [Fact]
    public void TheAcceptedEvaluationIsTheOneWhoseValueIsTheLoss()
    {
        Torch.Ready();
        var options = new LbfgsOptions(ToleranceGrad: 1e-10, ToleranceChange: 1e-14);
        using var problem = new Problem([-1.2, 1.0], Rosenbrock);
        using var lbfgs = problem.Optimizer(options);
        Assert.Equal(0, lbfgs.AcceptedEvaluation);
        while (lbfgs.Step() == StepOutcome.Stepped)
        {
            Assert.InRange(lbfgs.AcceptedEvaluation, 1, lbfgs.Evaluations);
            Assert.Equal(problem.Values[lbfgs.AcceptedEvaluation - 1], lbfgs.Loss);
        }
        Assert.Equal(problem.Values[lbfgs.AcceptedEvaluation - 1], lbfgs.Loss);
    }

    [Fact]
    public void ALineSearchThatRejectsEveryTrialKeepsTheStartPointsEvaluation()
    {
        Torch.Ready();
        // A first trial 10× too long and one zoom step: both trials fail the sufficient-decrease test, the search keeps
        // its start point (evaluation 1), not its last trial (evaluation 3), and the run ends there.
        var options = new LbfgsOptions(LearningRate: 10, MaxLineSearch: 1);
        using var problem = new Problem([-1.2, 1.0], Rosenbrock);
        using var lbfgs = problem.Optimizer(options);
        Assert.Equal(StepOutcome.Converged, lbfgs.Step());
        Assert.Equal(3, lbfgs.Evaluations);
        Assert.Equal(1, lbfgs.AcceptedEvaluation);
        Assert.Equal(problem.Values[0], lbfgs.Loss);
        Assert.True(problem.Values[2] > problem.Values[0], $"the last trial was not worse: {problem.Values[2]}");
        Assert.Equal([-1.2, 1.0], problem.Point());
    }

    [Fact]
    public void ConvergedOptimizerStopsWithoutEvaluating()
    {
        Torch.Ready();
        using var problem = new Problem([0.0, 0.0], x => x.square().sum());
        using var lbfgs = problem.Optimizer();
        Assert.Equal(StepOutcome.Converged, lbfgs.Step());
        Assert.Equal("gradient below tolerance", lbfgs.ConvergedBecause);
        Assert.Equal(StepOutcome.Converged, lbfgs.Step());
        Assert.Equal(1, problem.Calls);
        Assert.Equal(1, lbfgs.Evaluations);
    }

    [Theory]
    [InlineData(0.0, 3.0)]
    [InlineData(3.0, 0.0)]
    [InlineData(-2.0, 5.0)]
    public void CubicInterpolationIsExactOnAQuadratic(double x1, double x2)
    {
        // f = (x − 1)², f' = 2(x − 1): the interpolating cubic is the quadratic itself, minimum at 1.
        static double F(double x) => (x - 1) * (x - 1);
        static double G(double x) => 2 * (x - 1);
        Assert.Equal(1.0, Lbfgs.CubicInterpolate(x1, F(x1), G(x1), x2, F(x2), G(x2), null), 12);
        // Bounds clamp the result.
        Assert.Equal(1.5, Lbfgs.CubicInterpolate(x1, F(x1), G(x1), x2, F(x2), G(x2), (1.5, 10)), 12);
    }
}
