using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// L-BFGS with a strong-Wolfe line search, a port of PyTorch's <c>torch.optim.LBFGS</c> with
/// <c>line_search_fn="strong_wolfe"</c> (TorchSharp's has no line search and barely moves on Gatys losses).
/// One call of <see cref="Step"/> is one L-BFGS iteration of PyTorch's inner loop; successive calls continue the
/// same run, so f and ∇f at the current point are never evaluated twice. An evaluation that returns null stops the
/// run where it is (<see cref="StepOutcome.Stopped"/>): the parameter goes back to the last accepted point. Vectors live
/// on the parameter's device and dtype; scalars are doubles.
/// </summary>
public sealed class Lbfgs : IIterativeOptimizer
{
    private readonly Evaluation _evaluate;
    private readonly LbfgsOptions _options;
    private readonly Tensor _flat;
    private readonly List<Tensor> _oldDirs = [], _oldSteps = [];
    private readonly List<double> _ro = [];
    private Tensor? _d, _grad, _prevGrad;
    private double _t, _hDiag = 1.0;
    private int _iteration;
    private bool _started;
    private StepOutcome? _finished;

    /// <summary>Optimises <paramref name="parameter"/> (a contiguous leaf tensor with gradients on) with <paramref name="evaluate"/>.</summary>
    public Lbfgs(Tensor parameter, Evaluation evaluate, LbfgsOptions? options = null)
    {
        if (!parameter.requires_grad) throw new ArgumentException("The parameter must require gradients.", nameof(parameter));
        if (!parameter.is_contiguous()) throw new ArgumentException("The parameter must be contiguous (L-BFGS updates it through a flat view).", nameof(parameter));
        Parameter = parameter;
        _flat = parameter.view(-1);
        _evaluate = evaluate;
        _options = options ?? new LbfgsOptions();
    }

    /// <inheritdoc />
    public Tensor Parameter { get; }

    /// <inheritdoc />
    public int Evaluations { get; private set; }

    /// <inheritdoc />
    public double Loss { get; private set; } = double.NaN;

    /// <inheritdoc />
    public int AcceptedEvaluation { get; private set; }

    /// <summary>Every accepted line search, in order.</summary>
    public List<LineSearchResult> LineSearches { get; } = [];

    /// <summary>Why <see cref="Step"/> returned <see cref="StepOutcome.Converged"/>, if it did.</summary>
    public string? ConvergedBecause { get; private set; }

    /// <inheritdoc />
    public StepOutcome Step()
    {
        if (_finished is { } finished) return finished;
        if (!_started)
        {
            if (Evaluate() is not { } start) return Stop();
            Accept(start);
            _started = true;
            if (MaxAbs(_grad!) <= _options.ToleranceGrad) return Converge("gradient below tolerance");
        }
        var g = _grad!;
        _iteration++;
        using (no_grad())
        using (NewDisposeScope())
        {
            if (_iteration == 1)
            {
                _d = g.neg().DetachFromDisposeScope();
                _hDiag = 1.0;
            }
            else
            {
                var y = g.sub(_prevGrad!);
                var s = _d!.mul(_t);
                double ys = y.dot(s).ToDouble();
                if (ys > 1e-10)
                {
                    if (_oldDirs.Count == _options.HistorySize)
                    {
                        _oldDirs[0].Dispose(); _oldDirs.RemoveAt(0);
                        _oldSteps[0].Dispose(); _oldSteps.RemoveAt(0);
                        _ro.RemoveAt(0);
                    }
                    _oldDirs.Add(y.DetachFromDisposeScope());
                    _oldSteps.Add(s.DetachFromDisposeScope());
                    _ro.Add(1.0 / ys);
                    _hDiag = ys / y.dot(y).ToDouble();
                }
                // Two-loop recursion: d = −H·g.
                int n = _oldDirs.Count;
                var al = new double[n];
                var q = g.neg();
                for (int i = n - 1; i >= 0; i--)
                {
                    al[i] = _oldSteps[i].dot(q).ToDouble() * _ro[i];
                    q.add_(_oldDirs[i], alpha: -al[i]);
                }
                var r = q.mul(_hDiag);
                for (int i = 0; i < n; i++)
                {
                    double be = _oldDirs[i].dot(r).ToDouble() * _ro[i];
                    r.add_(_oldSteps[i], alpha: al[i] - be);
                }
                _d!.Dispose();
                _d = r.DetachFromDisposeScope();
            }
            _prevGrad?.Dispose();
            _prevGrad = g.clone().DetachFromDisposeScope();
        }
        double prevLoss = Loss;
        _t = _iteration == 1 ? Math.Min(1.0, 1.0 / SumAbs(g)) * _options.LearningRate : _options.LearningRate;
        double gtd = Dot(g, _d!);
        if (gtd > -_options.ToleranceChange) return Converge("directional derivative below tolerance");

        if (_options.StrongWolfe)
        {
            using var xInit = _flat.detach().clone().DetachFromDisposeScope();
            if (StrongWolfe(xInit, _t, _d!, new Trial(Loss, g, AcceptedEvaluation), gtd) is not { } search) return Stop();
            LineSearches.Add(new LineSearchResult(search.T, Loss, gtd, search.Point.F, Dot(search.Point.Grad, _d!), search.Evaluations));
            _t = search.T;
            using (no_grad()) _flat.add_(_d!, alpha: search.T);
            Accept(search.Point);
        }
        else
        {
            using var before = _flat.detach().clone().DetachFromDisposeScope();
            using (no_grad()) _flat.add_(_d!, alpha: _t);
            if (Evaluate() is not { } next)
            {
                using (no_grad()) _flat.copy_(before);
                return Stop();
            }
            Accept(next);
        }

        if (MaxAbs(_grad!) <= _options.ToleranceGrad) return Converge("gradient below tolerance");
        if (MaxAbs(_d!) * Math.Abs(_t) <= _options.ToleranceChange) return Converge("step below tolerance");
        if (Math.Abs(Loss - prevLoss) < _options.ToleranceChange) return Converge("loss change below tolerance");
        return StepOutcome.Stepped;
    }

    /// <summary>f and ∇f (flat, owned by whoever holds it) at one evaluated point, and which evaluation that was.</summary>
    private readonly record struct Trial(double F, Tensor Grad, int Evaluation);

    /// <summary>What a line search accepted: the point, its step length, the evaluations it spent.</summary>
    private readonly record struct Search(Trial Point, double T, int Evaluations);

    private StepOutcome Converge(string why)
    {
        ConvergedBecause = why;
        return (_finished = StepOutcome.Converged).Value;
    }

    private StepOutcome Stop() => (_finished = StepOutcome.Stopped).Value;

    /// <summary>The trial becomes the current point's f, ∇f and evaluation number.</summary>
    private void Accept(Trial trial)
    {
        if (!ReferenceEquals(trial.Grad, _grad)) _grad?.Dispose();
        _grad = trial.Grad;
        Loss = trial.F;
        AcceptedEvaluation = trial.Evaluation;
    }

    /// <summary>Evaluates at the parameter as it is; null when the evaluation says stop.</summary>
    private Trial? Evaluate()
    {
        Parameter.grad?.zero_();
        if (_evaluate() is not double f) return null;
        Evaluations++;
        using (no_grad())
        {
            var grad = Parameter.grad is { } g ? g.reshape(-1).clone() : zeros_like(_flat);
            return new Trial(f, grad.DetachFromDisposeScope(), Evaluations);
        }
    }

    private Trial? DirectionalEvaluate(Tensor xInit, double t, Tensor d)
    {
        using (no_grad()) _flat.add_(d, alpha: t);
        try
        {
            return Evaluate();
        }
        finally
        {
            // Also when the evaluation stops or throws: the parameter stays at the last accepted point.
            using (no_grad()) _flat.copy_(xInit);
        }
    }

    // PyTorch's _strong_wolfe: bracketing phase, then zoom with safeguarded cubic interpolation. Null: an evaluation said stop.
    private Search? StrongWolfe(Tensor x, double t, Tensor d, Trial start, double gtd)
    {
        var owned = new List<Tensor>();
        try
        {
            var search = StrongWolfe(x, t, d, start, gtd, owned);
            if (search is null) ReleaseAll(owned);
            return search;
        }
        catch
        {
            ReleaseAll(owned); // an evaluation threw
            throw;
        }
    }

    private static void ReleaseAll(List<Tensor> gradients)
    {
        foreach (var gradient in gradients) gradient.Dispose();
    }

    private Search? StrongWolfe(Tensor x, double t, Tensor d, Trial start, double gtd, List<Tensor> owned)
    {
        double c1 = _options.C1, c2 = _options.C2, tolChange = _options.ToleranceChange;
        int maxLs = _options.MaxLineSearch;
        double f = start.F;
        double dNorm = MaxAbs(d);
        int evals = 0;
        // Evaluates at x + step·d and records the trial: its gradient owned here, one more evaluation, its slope along d.
        (Trial Trial, double Gtd)? Probe(double step)
        {
            if (DirectionalEvaluate(x, step, d) is not { } probed) return null;
            owned.Add(probed.Grad);
            evals++;
            return (probed, Dot(probed.Grad, d));
        }
        if (Probe(t) is not { } first) return null;
        var (trial, gtdNew) = first;

        double tPrev = 0, gtdPrev = gtd;
        Trial previous = start;
        bool done = false;
        int lsIter = 0;
        double[] bracket, bracketGtd;
        Trial[] bracketTrial;

        while (true)
        {
            if (lsIter >= maxLs)
            {
                bracket = [0, t]; bracketTrial = [start, trial]; bracketGtd = [gtd, gtdNew];
                break;
            }
            if (trial.F > f + c1 * t * gtd || (lsIter > 1 && trial.F >= previous.F))
            {
                bracket = [tPrev, t]; bracketTrial = [previous, trial]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            if (Math.Abs(gtdNew) <= -c2 * gtd)
            {
                bracket = [t]; bracketTrial = [trial]; bracketGtd = [gtdNew];
                done = true;
                break;
            }
            if (gtdNew >= 0)
            {
                bracket = [tPrev, t]; bracketTrial = [previous, trial]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10, tmp = t;
            t = CubicInterpolate(tPrev, previous.F, gtdPrev, t, trial.F, gtdNew, (minStep, maxStep));
            tPrev = tmp; previous = trial; gtdPrev = gtdNew;
            if (Probe(t) is not { } next) return null;
            (trial, gtdNew) = next;
            lsIter++;
        }

        bool insufficientProgress = false;
        int low = bracketTrial[0].F <= bracketTrial[^1].F ? 0 : 1, high = 1 - low;
        while (!done && lsIter < maxLs)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < tolChange) break;
            t = CubicInterpolate(bracket[0], bracketTrial[0].F, bracketGtd[0], bracket[1], bracketTrial[1].F, bracketGtd[1], null);
            double bMax = Math.Max(bracket[0], bracket[1]), bMin = Math.Min(bracket[0], bracket[1]);
            double eps = 0.1 * (bMax - bMin);
            if (Math.Min(bMax - t, t - bMin) < eps)
            {
                if (insufficientProgress || t >= bMax || t <= bMin)
                {
                    t = Math.Abs(t - bMax) < Math.Abs(t - bMin) ? bMax - eps : bMin + eps;
                    insufficientProgress = false;
                }
                else insufficientProgress = true;
            }
            else insufficientProgress = false;

            if (Probe(t) is not { } next) return null;
            (trial, gtdNew) = next;
            lsIter++;

            if (trial.F > f + c1 * t * gtd || trial.F >= bracketTrial[low].F)
            {
                bracket[high] = t; bracketTrial[high] = trial; bracketGtd[high] = gtdNew;
                (low, high) = bracketTrial[0].F <= bracketTrial[1].F ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -c2 * gtd) done = true;
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                {
                    bracket[high] = bracket[low]; bracketTrial[high] = bracketTrial[low]; bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t; bracketTrial[low] = trial; bracketGtd[low] = gtdNew;
            }
        }

        int pick = bracket.Length == 1 ? 0 : low;
        var chosen = bracketTrial[pick];
        // The chosen gradient is returned; every other gradient made here is released (the start's is the caller's).
        var gradient = ReferenceEquals(chosen.Grad, start.Grad) ? start.Grad.clone().DetachFromDisposeScope() : chosen.Grad;
        foreach (var other in owned) if (!ReferenceEquals(other, gradient)) other.Dispose();
        return new Search(chosen with { Grad = gradient }, bracket[pick], evals);
    }

    /// <summary>Minimiser of the cubic interpolating (x1, f1, g1) and (x2, f2, g2), clamped to the bounds (PyTorch's _cubic_interpolate).</summary>
    public static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, (double Min, double Max)? bounds)
    {
        var (lo, hi) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1));
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0)
        {
            double d2 = Math.Sqrt(d2Square);
            double minPos = x1 <= x2
                ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.Min(Math.Max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    private static double Dot(Tensor a, Tensor b)
    {
        using (no_grad()) using (NewDisposeScope()) return a.dot(b).ToDouble();
    }

    private static double MaxAbs(Tensor a)
    {
        using (no_grad()) using (NewDisposeScope()) return a.abs().max().ToDouble();
    }

    private static double SumAbs(Tensor a)
    {
        using (no_grad()) using (NewDisposeScope()) return a.abs().sum().ToDouble();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var pair in _oldDirs.Concat(_oldSteps)) pair.Dispose();
        _d?.Dispose();
        _grad?.Dispose();
        _prevGrad?.Dispose();
        _flat.Dispose();
    }
}
