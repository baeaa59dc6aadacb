using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Losses;

/// <summary>Compares autograd's gradient of a scalar function with central finite differences, in float64.</summary>
public static class GradientCheck
{
    /// <summary>
    /// The largest relative error |g_fd − g_ad| / max(|g_fd|, |g_ad|, floor) over <paramref name="coordinates"/> random
    /// coordinates of <paramref name="x"/> (plus the first and the last one), with step h relative to each coordinate.
    /// </summary>
    public static double MaxRelativeError(Tensor x, Func<Tensor, Tensor> f, int coordinates = 8, int seed = 1, double h = 1e-6)
    {
        if (x.dtype != ScalarType.Float64) throw new ArgumentException("Use float64 for finite differences.", nameof(x));
        using var leaf = x.detach().clone().requires_grad_(true);
        using (var value = f(leaf)) value.backward();
        using var grad = leaf.grad!.detach().reshape(-1).clone();
        using var flat = x.detach().reshape(-1).clone();
        long n = flat.numel();
        var rng = new Random(seed);
        var picks = new List<long> { 0, n - 1 };
        for (int i = 0; i < coordinates; i++) picks.Add(rng.NextInt64(n));

        double scale = grad.abs().max().ToDouble();
        double worst = 0;
        foreach (var i in picks)
        {
            double xi = flat[i].ToDouble(), step = h * Math.Max(1.0, Math.Abs(xi));
            double Eval(double v)
            {
                using var _ = NewDisposeScope();
                using var __ = no_grad();
                var p = flat.clone();
                p[i] = tensor(v, dtype: ScalarType.Float64);
                return f(p.reshape(x.shape)).ToDouble();
            }
            double fd = (Eval(xi + step) - Eval(xi - step)) / (2 * step);
            double ad = grad[i].ToDouble();
            // Floor: coordinates whose gradient is ~0 are compared against the gradient's overall scale.
            double err = Math.Abs(fd - ad) / Math.Max(Math.Max(Math.Abs(fd), Math.Abs(ad)), 1e-3 * scale);
            worst = Math.Max(worst, err);
        }
        return worst;
    }
}
