using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Style loss at one layer as the squared Wasserstein-2 distance between Gaussian fits of the image's and the style's
/// features (each position a sample of N channels): ‖μ − μs‖² + tr(C) + tr(Cs) − 2·tr((Cs^½·C·Cs^½)^½)
/// (as crowsonkb/style-transfer-pytorch; not in Gatys et al., whose style term is <see cref="StyleLoss"/>). Means and
/// covariances are per position, so a style image of another size needs no rescaling. Computed in float64; the trace of
/// the square root is Σ√λ over the eigenvalues λ of the symmetric PSD product, whose gradient (V·diag(½λ^−½)·Vᵀ) is
/// stable even for repeated eigenvalues (only eigenvalues are differentiated, never eigenvectors).
/// </summary>
public sealed class WassersteinStyleLoss : Loss
{
    // Eigenvalues below this are treated as 0: √ has an unbounded derivative there (rank-deficient covariances).
    private const double EigenFloor = 1e-12;
    private readonly Tensor _mean;
    private readonly Tensor _covariance;
    private readonly Tensor _sqrtCovariance;
    private readonly double _covarianceTrace;
    private readonly double _scale;
    private readonly LayerMask? _mask;

    /// <summary>Creates the loss from the style image's features at <paramref name="layer"/>; mean, covariance and its square root are computed once here.</summary>
    /// <param name="layer">The layer it reads.</param>
    /// <param name="styleFeatures">The style's features there, [1, N, H, W].</param>
    /// <param name="normalization">How the distance is scaled.</param>
    /// <param name="mask">
    /// A region's soft mask (copied; see <see cref="LayerMask"/>): the image's Gaussian fit is then weighted by the mask at
    /// the layer's resolution, i.e. over the region only and normalised by its own size. Null: the whole image.
    /// </param>
    public WassersteinStyleLoss(string layer, Tensor styleFeatures, LossNormalization normalization = LossNormalization.Paper, Tensor? mask = null)
    {
        Layer = layer;
        _mask = mask is null ? null : new LayerMask(mask);
        (N, _) = GramMatrix.Size(styleFeatures);
        using (no_grad())
        using (NewDisposeScope())
        {
            var (mean, cov) = Fit(styleFeatures.detach());
            var (values, vectors) = linalg.eigh(cov);
            var sqrt = vectors.mul(values.clamp_min(0).sqrt().unsqueeze(0)).matmul(vectors.t());
            _covarianceTrace = cov.trace().ToDouble();
            double meanSquare = mean.square().sum().ToDouble();
            // Paper mode divides by N (the distance sums over channels; deviation: the paper has no W2 term at all).
            // Target-norm mode divides by the style's second moment ‖μs‖² + tr(Cs), as StyleLoss divides by ΣA².
            _scale = normalization == LossNormalization.TargetNorm ? 1.0 / Math.Max(meanSquare + _covarianceTrace, 1e-12) : 1.0 / N;
            _mean = mean.DetachFromDisposeScope();
            _covariance = cov.DetachFromDisposeScope();
            _sqrtCovariance = sqrt.DetachFromDisposeScope();
        }
    }

    /// <inheritdoc />
    public override string Term => "style";

    /// <inheritdoc />
    public override string Layer { get; }

    /// <summary>Channels N of the layer.</summary>
    public long N { get; }

    /// <summary>The style's feature mean μs, float64 [N].</summary>
    public Tensor TargetMean => _mean;

    /// <summary>The style's feature covariance Cs, float64 [N, N] (divided by M, the positions).</summary>
    public Tensor TargetCovariance => _covariance;

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = features[Layer];
        var (mean, cov) = _mask is null ? Fit(f) : FitOnSupport(f, _mask.Support(f.shape[^2], f.shape[^1], f));
        var meanTerm = mean.sub(_mean.to(f.device)).square().sum();
        var s = _sqrtCovariance.to(f.device);
        var product = s.matmul(cov).matmul(s);
        product = product.add(product.t()).mul(0.5); // symmetric in exact arithmetic; eigvalsh reads one triangle
        var eigenvalues = linalg.eigvalsh(product);
        // √ of the floored values, masked to 0 below the floor: exact for singular products, and no NaN or ∞ in the gradient.
        var rootTrace = eigenvalues.clamp_min(EigenFloor).sqrt().mul(eigenvalues.gt(EigenFloor).to_type(eigenvalues.dtype)).sum();
        var distance = meanTerm.add(cov.trace()).add(_covarianceTrace).sub(rootTrace.mul(2));
        return distance.mul(Weight * _scale).to_type(f.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Mean [N] and covariance [N, N] (divided by M) of a [1, N, H, W] feature map, in float64.</summary>
    public static (Tensor Mean, Tensor Covariance) Fit(Tensor features)
    {
        var (_, m) = GramMatrix.Size(features);
        var f = GramMatrix.Flatten(features).to_type(ScalarType.Float64);
        var mean = f.mean([1]);
        var centred = f.sub(mean.unsqueeze(1));
        return (mean, centred.matmul(centred.t()).div(m));
    }

    /// <summary>
    /// Mean [N] and covariance [N, N] of a [1, N, H, W] feature map with each position weighted by <paramref name="weights"/>
    /// ([H·W], ≥ 0, not all 0), in float64.
    /// </summary>
    public static (Tensor Mean, Tensor Covariance) Fit(Tensor features, Tensor weights)
    {
        var f = GramMatrix.Flatten(features).to_type(ScalarType.Float64);
        var w = weights.to_type(ScalarType.Float64);
        var p = w.div(w.sum().clamp_min(1e-12));
        var mean = f.matmul(p);
        var centred = f.sub(mean.unsqueeze(1));
        return (mean, centred.mul(p.unsqueeze(0)).matmul(centred.t()));
    }

    /// <summary>As <see cref="Fit(Tensor, Tensor)"/> over the mask's support only (the positions it zeroes add nothing).</summary>
    private static (Tensor Mean, Tensor Covariance) FitOnSupport(Tensor features, (Tensor? Index, Tensor Weights) support)
    {
        var flat = GramMatrix.Flatten(features);
        if (support.Index is not null) flat = flat.index_select(1, support.Index);
        return Fit(flat.unsqueeze(0).unsqueeze(2), support.Weights);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _mask?.Dispose();
        _mean.Dispose();
        _covariance.Dispose();
        _sqrtCovariance.Dispose();
        base.Dispose();
    }
}
