using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// L-BFGS with a strong-Wolfe line search, a port of PyTorch's <c>torch.optim.LBFGS</c> with
/// <c>line_search_fn="strong_wolfe"</c> (TorchSharp's has no line search and barely moves on Gatys losses).
/// One call of <see cref="Step"/> is one L-BFGS iteration of PyTorch's inner loop; successive calls continue the
/// same run, so f and ∇f at the current point are never evaluated twice. Vectors live on the parameter's
/// device and dtype; scalars are doubles.
/// </summary>
public sealed class Lbfgs : IIterativeOptimizer
{
    private readonly Evaluation _evaluate;
    private readonly LbfgsOptions _o;
    private readonly Tensor _flat;
    private readonly List<Tensor> _oldDirs = [], _oldSteps = [];
    private readonly List<double> _ro = [];
    private Tensor? _d, _grad, _prevGrad;
    private double _t, _hDiag = 1.0;
    private int _iteration;
    private bool _started, _converged;

    /// <summary>Optimises <paramref name="parameter"/> (a contiguous leaf tensor with gradients on) with <paramref name="evaluate"/>.</summary>
    public Lbfgs(Tensor parameter, Evaluation evaluate, LbfgsOptions? options = null)
    {
        if (!parameter.requires_grad) throw new ArgumentException("The parameter must require gradients.", nameof(parameter));
        if (!parameter.is_contiguous()) throw new ArgumentException("The parameter must be contiguous (L-BFGS updates it through a flat view).", nameof(parameter));
        Parameter = parameter;
        _flat = parameter.view(-1);
        _evaluate = evaluate;
        _o = options ?? new LbfgsOptions();
    }

    /// <inheritdoc />
    public Tensor Parameter { get; }

    /// <inheritdoc />
    public int Evaluations { get; private set; }

    /// <inheritdoc />
    public double Loss { get; private set; } = double.NaN;

    /// <summary>Every accepted line search, in order.</summary>
    public List<LineSearchResult> LineSearches { get; } = [];

    /// <summary>Why the last <see cref="Step"/> returned false, if it did.</summary>
    public string? ConvergedBecause { get; private set; }

    /// <inheritdoc />
    public bool Step()
    {
        if (_converged) return false;
        if (!_started)
        {
            (Loss, _grad) = Evaluate();
            _started = true;
            if (MaxAbs(_grad) <= _o.ToleranceGrad) return Converge("gradient below tolerance");
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
                    if (_oldDirs.Count == _o.HistorySize)
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
        _t = _iteration == 1 ? Math.Min(1.0, 1.0 / SumAbs(g)) * _o.LearningRate : _o.LearningRate;
        double gtd = Dot(g, _d!);
        if (gtd > -_o.ToleranceChange) return Converge("directional derivative below tolerance");

        if (_o.StrongWolfe)
        {
            using var xInit = _flat.detach().clone().DetachFromDisposeScope();
            var (f, newGrad, t, evals) = StrongWolfe(xInit, _t, _d!, Loss, g, gtd);
            LineSearches.Add(new LineSearchResult(t, Loss, gtd, f, Dot(newGrad, _d!), evals));
            _t = t;
            using (no_grad()) _flat.add_(_d!, alpha: t);
            ReplaceGrad(newGrad);
            Loss = f;
        }
        else
        {
            using (no_grad()) _flat.add_(_d!, alpha: _t);
            var (f, newGrad) = Evaluate();
            ReplaceGrad(newGrad);
            Loss = f;
        }

        if (MaxAbs(_grad!) <= _o.ToleranceGrad) return Converge("gradient below tolerance");
        if (MaxAbs(_d!) * Math.Abs(_t) <= _o.ToleranceChange) return Converge("step below tolerance");
        if (Math.Abs(Loss - prevLoss) < _o.ToleranceChange) return Converge("loss change below tolerance");
        return true;
    }

    private bool Converge(string why)
    {
        _converged = true;
        ConvergedBecause = why;
        return false;
    }

    private void ReplaceGrad(Tensor g)
    {
        if (!ReferenceEquals(g, _grad)) _grad?.Dispose();
        _grad = g;
    }

    private (double F, Tensor Grad) Evaluate()
    {
        Parameter.grad?.zero_();
        double f = _evaluate();
        Evaluations++;
        using (no_grad())
        {
            var g = Parameter.grad is { } grad ? grad.reshape(-1).clone() : zeros_like(_flat);
            return (f, g.DetachFromDisposeScope());
        }
    }

    private (double F, Tensor Grad) DirectionalEvaluate(Tensor xInit, double t, Tensor d)
    {
        using (no_grad()) _flat.add_(d, alpha: t);
        try
        {
            return Evaluate();
        }
        finally
        {
            // Also when the evaluation throws (cancellation, a budget, a NaN): the parameter stays at the last accepted point.
            using (no_grad()) _flat.copy_(xInit);
        }
    }

    // PyTorch's _strong_wolfe: bracketing phase, then zoom with safeguarded cubic interpolation.
    private (double F, Tensor Grad, double T, int Evaluations) StrongWolfe(Tensor x, double t, Tensor d, double f, Tensor g, double gtd)
    {
        var owned = new List<Tensor>();
        try
        {
            return StrongWolfe(x, t, d, f, g, gtd, owned);
        }
        catch
        {
            // An evaluation threw (cancellation, budget, NaN): release the gradients made so far.
            foreach (var o in owned) o.Dispose();
            throw;
        }
    }

    private (double F, Tensor Grad, double T, int Evaluations) StrongWolfe(Tensor x, double t, Tensor d, double f, Tensor g, double gtd, List<Tensor> owned)
    {
        double c1 = _o.C1, c2 = _o.C2, tolChange = _o.ToleranceChange;
        int maxLs = _o.MaxLineSearch;
        double dNorm = MaxAbs(d);
        var (fNew, gNew) = DirectionalEvaluate(x, t, d);
        owned.Add(gNew);
        int evals = 1;
        double gtdNew = Dot(gNew, d);

        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        Tensor gPrev = g;
        bool done = false;
        int lsIter = 0;
        double[] bracket, bracketF, bracketGtd;
        Tensor[] bracketG;

        while (true)
        {
            if (lsIter >= maxLs)
            {
                bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew]; bracketGtd = [gtd, gtdNew];
                break;
            }
            if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev))
            {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            if (Math.Abs(gtdNew) <= -c2 * gtd)
            {
                bracket = [t]; bracketF = [fNew]; bracketG = [gNew]; bracketGtd = [gtdNew];
                done = true;
                break;
            }
            if (gtdNew >= 0)
            {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10, tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, (minStep, maxStep));
            tPrev = tmp; fPrev = fNew; gPrev = gNew; gtdPrev = gtdNew;
            (fNew, gNew) = DirectionalEvaluate(x, t, d);
            owned.Add(gNew);
            evals++;
            gtdNew = Dot(gNew, d);
            lsIter++;
        }

        bool insufficientProgress = false;
        int low = bracketF[0] <= bracketF[^1] ? 0 : 1, high = 1 - low;
        while (!done && lsIter < maxLs)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < tolChange) break;
            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null);
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

            (fNew, gNew) = DirectionalEvaluate(x, t, d);
            owned.Add(gNew);
            evals++;
            gtdNew = Dot(gNew, d);
            lsIter++;

            if (fNew > f + c1 * t * gtd || fNew >= bracketF[low])
            {
                bracket[high] = t; bracketF[high] = fNew; bracketG[high] = gNew; bracketGtd[high] = gtdNew;
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -c2 * gtd) done = true;
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                {
                    bracket[high] = bracket[low]; bracketF[high] = bracketF[low]; bracketG[high] = bracketG[low]; bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t; bracketF[low] = fNew; bracketG[low] = gNew; bracketGtd[low] = gtdNew;
            }
        }

        int pick = bracket.Length == 1 ? 0 : low;
        var chosen = bracketG[pick];
        // The chosen gradient is returned; every other gradient made here is released (g, the caller's, is not ours).
        var result = ReferenceEquals(chosen, g) ? g.clone().DetachFromDisposeScope() : chosen;
        foreach (var o in owned) if (!ReferenceEquals(o, result)) o.Dispose();
        return (bracketF[pick], result, bracket[pick], evals);
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
        foreach (var t in _oldDirs.Concat(_oldSteps)) t.Dispose();
        _d?.Dispose();
        _grad?.Dispose();
        _prevGrad?.Dispose();
        _flat.Dispose();
    }
}
