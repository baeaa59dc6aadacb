using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Style term at one layer as the squared Wasserstein-2 distance between Gaussian fits of the image's and the style's
/// features (each position a sample of N channels): ‖μ − μs‖² + tr(C) + tr(Cs) − 2·tr((Cs^½·C·Cs^½)^½)
/// (as crowsonkb/style-transfer-pytorch; not in Gatys et al., whose style term is <see cref="StyleLoss"/>). The fit is
/// read from the sums over positions (<see cref="PositionSums"/>, in float64): μ = Σ m·f / Σ m and
/// C = Σ m·f·fᵀ / Σ m − μ·μᵀ, so a region's mask weights the fit over the region, normalised by its own size, and the
/// term tiles like the Gram's. Means and covariances are per position, so a style image of another size needs no
/// rescaling. The trace of the square root is Σ√λ over the eigenvalues λ of the symmetric PSD product, whose gradient
/// (V·diag(½λ^−½)·Vᵀ) is stable even for repeated eigenvalues (only eigenvalues are differentiated, never eigenvectors).
/// A blend is the weighted sum of each style's distance, read from the image's one fit.
/// </summary>
public sealed class WassersteinStyleLoss : StyleTerm
{
    // Eigenvalues below this are treated as 0: √ has an unbounded derivative there (rank-deficient covariances).
    private const double EigenFloor = 1e-12;
    private readonly List<Target> _targets;

    /// <summary>One style's fit: mean, covariance, its square root and trace, and the style's weight times its scale.</summary>
    private sealed record Target(Tensor Mean, Tensor Covariance, Tensor SqrtCovariance, double CovarianceTrace, double Scale);

    /// <summary>The term for one style image, from its features at <paramref name="layer"/> (mean, covariance and its square root are computed once, here).</summary>
    /// <param name="layer">The layer it reads.</param>
    /// <param name="styleFeatures">The style's features there, [1, N, H, W].</param>
    /// <param name="normalization">How the distance is scaled.</param>
    /// <param name="mask">A region's soft mask (copied; resized to the layer by area); null: the whole image.</param>
    public WassersteinStyleLoss(string layer, Tensor styleFeatures, LossNormalization normalization = LossNormalization.Paper, Tensor? mask = null)
        : base(layer, mask, moments: true)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var sums = PositionSums.Of(styleFeatures.detach(), moments: true);
        _targets = Fit(layer, [(sums, 1.0)], normalization);
    }

    /// <summary>The term for a blend of styles, from each style's moment sums at <paramref name="layer"/> (<see cref="PositionSums.Of(Tensor, bool)"/> with moments, or in tiles).</summary>
    /// <param name="layer">The layer it reads.</param>
    /// <param name="styles">Each style's unmasked moment sums at the layer and its weight (≥ 0, not all 0; normalised to sum 1).</param>
    /// <param name="normalization">How each style's distance is scaled.</param>
    /// <param name="mask">A region's soft mask (copied; resized to the layer by area); null: the whole image.</param>
    /// <exception cref="NotebookStyleException">No style, weights negative, not finite or all 0, styles with different channels, or sums without moments.</exception>
    public WassersteinStyleLoss(string layer, IReadOnlyList<(PositionSums Style, double Weight)> styles, LossNormalization normalization = LossNormalization.Paper,
        Tensor? mask = null)
        : base(layer, mask, moments: true) =>
        _targets = Fit(layer, styles, normalization);

    /// <summary>Channels N of the layer.</summary>
    public long N => _targets[0].Mean.shape[0];

    /// <summary>The (first) style's feature mean μs, float64 [N].</summary>
    public Tensor TargetMean => _targets[0].Mean;

    /// <summary>The (first) style's feature covariance Cs, float64 [N, N] (divided by M, the positions).</summary>
    public Tensor TargetCovariance => _targets[0].Covariance;

    /// <inheritdoc />
    protected override Tensor Distance(PositionSums sums)
    {
        var mean = sums.First!.div(sums.Mass);
        var cov = sums.Second.div(sums.Mass).sub(mean.unsqueeze(1).mul(mean.unsqueeze(0)));
        Tensor? total = null;
        foreach (var target in _targets)
        {
            var meanTerm = mean.sub(target.Mean.to(mean.device)).square().sum();
            var s = target.SqrtCovariance.to(mean.device);
            var product = s.matmul(cov).matmul(s);
            product = product.add(product.t()).mul(0.5); // symmetric in exact arithmetic; eigvalsh reads one triangle
            var eigenvalues = linalg.eigvalsh(product);
            // √ of the floored values, masked to 0 below the floor: exact for singular products, and no NaN or ∞ in the gradient.
            var rootTrace = eigenvalues.clamp_min(EigenFloor).sqrt().mul(eigenvalues.gt(EigenFloor).to_type(eigenvalues.dtype)).sum();
            var distance = meanTerm.add(cov.trace()).add(target.CovarianceTrace).sub(rootTrace.mul(2)).mul(target.Scale);
            total = total is null ? distance : total.add(distance);
        }
        return total!;
    }

    /// <summary>Each style's fit (its weight normalised over the blend and folded into its scale).</summary>
    private static List<Target> Fit(string layer, IReadOnlyList<(PositionSums Style, double Weight)> styles, LossNormalization normalization)
    {
        var weights = BlendWeights.Normalize([.. styles.Select(s => s.Weight)]);
        long n = styles[0].Style.Channels;
        if (styles.Any(s => s.Style.Channels != n))
            throw new NotebookStyleException($"The styles' features at {layer} must all have {n} channels.");
        if (styles.Any(s => s.Style.First is null))
            throw new NotebookStyleException("The Wasserstein style term needs each style's first moment: take its sums with moments.");
        using var _ = no_grad();
        var targets = new List<Target>();
        for (int i = 0; i < styles.Count; i++)
        {
            if (weights[i] == 0) continue;
            using var scope = NewDisposeScope();
            var (sums, mass) = (styles[i].Style, styles[i].Style.Mass);
            var mean = sums.First!.detach().to_type(ScalarType.Float64).div(mass);
            var cov = sums.Second.detach().to_type(ScalarType.Float64).div(mass).sub(mean.unsqueeze(1).mul(mean.unsqueeze(0)));
            var (values, vectors) = linalg.eigh(cov);
            var sqrt = vectors.mul(values.clamp_min(0).sqrt().unsqueeze(0)).matmul(vectors.t());
            double trace = cov.trace().ToDouble();
            // Paper mode divides by N (the distance sums over channels; deviation: the paper has no W2 term at all).
            // Target-norm mode divides by the style's second moment ‖μs‖² + tr(Cs), as StyleLoss divides by ΣÂ².
            double scale = TargetNorm.Scale(normalization, mean.square().sum().ToDouble() + trace, 1.0 / n);
            targets.Add(new Target(mean.DetachFromDisposeScope(), cov.DetachFromDisposeScope(), sqrt.DetachFromDisposeScope(), trace, weights[i] * scale));
        }
        return targets;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var target in _targets)
        {
            target.Mean.Dispose();
            target.Covariance.Dispose();
            target.SqrtCovariance.Dispose();
        }
        base.Dispose();
    }
}
