using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Style loss at one layer: Σ(G − A)² / (4·N²·M²), G and A the Gram matrices of the image and the style. When the style
/// image has another size (M_s positions instead of M), A is rescaled by M / M_s first: Gram matrices are sums over
/// positions, and only their per-position averages are comparable across sizes. A blend of styles at one layer is one
/// loss (<see cref="StyleLoss(string, IReadOnlyList{ValueTuple{Tensor, double}}, LossNormalization)"/>): one Gram matrix
/// of the image per evaluation whatever the number of styles.
/// </summary>
public sealed class StyleLoss : Loss
{
    private readonly Tensor _target;
    private readonly double _scale;
    private readonly double _constant;

    /// <summary>Creates the loss from the style image's features at <paramref name="layer"/>; the Gram matrix is computed once here.</summary>
    public StyleLoss(string layer, Tensor styleFeatures, LossNormalization normalization = LossNormalization.Paper)
    {
        Layer = layer;
        (N, StylePositions) = GramMatrix.Size(styleFeatures);
        // The loss owns its target: detached from any dispose scope the caller has open (Create builds targets in one).
        using (no_grad()) using (NewDisposeScope()) _target = GramMatrix.Compute(styleFeatures.detach()).DetachFromDisposeScope();
        using var scaleScope = NewDisposeScope();
        // Target-norm mode divides by ΣA² instead of 4N²M² (deviation from the paper, see LossNormalization).
        _scale = normalization == LossNormalization.TargetNorm
            ? 1.0 / Math.Max(_target.square().sum().ToDouble(), 1e-12)
            : double.NaN;
    }

    private StyleLoss(string layer, Tensor gram, long positions, LossNormalization normalization)
    {
        Layer = layer;
        N = gram.shape[0];
        StylePositions = positions;
        using (no_grad()) using (NewDisposeScope()) _target = gram.detach().clone().DetachFromDisposeScope();
        using var scaleScope = NewDisposeScope();
        _scale = normalization == LossNormalization.TargetNorm
            ? 1.0 / Math.Max(_target.square().sum().ToDouble(), 1e-12)
            : double.NaN;
    }

    /// <summary>
    /// Creates the loss from the style's Gram matrix F·Fᵀ at <paramref name="layer"/>, summed over
    /// <paramref name="positions"/> positions (copied): for targets computed in tiles (<see cref="TiledTargets.Grams"/>).
    /// </summary>
    public static StyleLoss FromStyleGram(string layer, Tensor gram, long positions, LossNormalization normalization = LossNormalization.Paper,
        double weight = 1.0) =>
        new(layer, gram, positions, normalization) { Weight = weight };

    /// <summary>
    /// One loss for a blend of styles at one layer, equal to Σᵢ wᵢ × (style i's own <see cref="StyleLoss"/>) but with one Gram
    /// matrix of the image per evaluation instead of one per style. Per position (Ĝ = G / M, Âᵢ = Aᵢ / Mᵢ) style i's loss is
    /// cᵢ‖Ĝ − Âᵢ‖², cᵢ = wᵢ / (4N²) (paper) or wᵢ / ΣÂᵢ² (target-norm), and Σᵢ cᵢ‖Ĝ − Âᵢ‖² = C‖Ĝ − Ā‖² + K with C = Σᵢ cᵢ,
    /// Ā = Σᵢ cᵢÂᵢ / C and K = Σᵢ cᵢ‖Âᵢ − Ā‖², a constant computed here: same value, same gradient. A single style of
    /// weight 1 gives the single-style loss. <see cref="Target"/> is then Ā·M₁, the blend's target summed over the first
    /// style's positions M₁ (<see cref="StylePositions"/>).
    /// </summary>
    /// <param name="layer">The layer it reads.</param>
    /// <param name="styles">Each style's features at the layer, [1, N, H, W] (sizes may differ), and its weight (≥ 0, not all 0).</param>
    /// <param name="normalization">How each style's term is scaled.</param>
    /// <exception cref="NotebookStyleException">No style, weights negative, not finite or all 0, or styles with different channels.</exception>
    public StyleLoss(string layer, IReadOnlyList<(Tensor Features, double Weight)> styles, LossNormalization normalization = LossNormalization.Paper)
    {
        Layer = layer;
        if (styles.Count == 0) throw new NotebookStyleException("A style loss needs at least one style.");
        if (styles.Any(s => !(s.Weight >= 0) || double.IsInfinity(s.Weight)) || styles.Sum(s => s.Weight) <= 0)
            throw new NotebookStyleException("Style blend weights must be finite, ≥ 0 and not all 0.");
        (N, StylePositions) = GramMatrix.Size(styles[0].Features);
        if (styles.Any(s => GramMatrix.Size(s.Features).N != N))
            throw new NotebookStyleException($"The styles' features at {layer} must all have {N} channels.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        double n = N;
        var perPosition = new List<(Tensor Target, double C)>();
        foreach (var (features, weight) in styles)
        {
            if (weight == 0) continue;
            var (_, m) = GramMatrix.Size(features);
            var target = GramMatrix.Compute(features.detach()).div(m);
            double c = normalization == LossNormalization.TargetNorm ? weight / Math.Max(target.square().sum().ToDouble(), 1e-12) : weight / (4 * n * n);
            perPosition.Add((target, c));
        }
        double total = perPosition.Sum(p => p.C);
        var mean = perPosition.Select(p => p.Target.mul(p.C)).Aggregate((a, b) => a.add(b)).div(total);
        _constant = perPosition.Sum(p => p.C * p.Target.sub(mean).square().sum().ToDouble());
        // In the single-style form: target A at M₁ positions and scale s with s·M₁² = C (see FromGram).
        _target = mean.mul(StylePositions).DetachFromDisposeScope();
        _scale = total / ((double)StylePositions * StylePositions);
    }

    /// <inheritdoc />
    public override string Term => "style";

    /// <inheritdoc />
    public override string Layer { get; }

    /// <summary>Channels N of the layer.</summary>
    public long N { get; }

    /// <summary>Positions M_s (H·W) of the style's feature map.</summary>
    public long StylePositions { get; }

    /// <summary>The style's Gram matrix A.</summary>
    public Tensor Target => _target;

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = features[Layer];
        var (_, m) = GramMatrix.Size(f);
        return FromGram(GramMatrix.Compute(f), m).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The weighted loss for an image whose Gram matrix at this layer is <paramref name="gram"/>, summed over
    /// <paramref name="positions"/> feature positions: tiled evaluation adds the tiles' Gram sums up first.
    /// </summary>
    public Tensor FromGram(Tensor gram, long positions)
    {
        using var scope = NewDisposeScope();
        long n = N, m = positions;
        // M is the generated image's H·W; a style image of another size has its Gram summed over M_s positions: compare per position.
        double ratio = (double)m / StylePositions;
        var target = ratio == 1.0 ? _target : _target.mul(ratio);
        double scale = double.IsNaN(_scale) ? 1.0 / (4.0 * n * n * (double)m * m) : _scale / (ratio * ratio);
        var loss = gram.sub(target).square().sum().mul(Weight * scale);
        if (_constant != 0) loss = loss.add(Weight * _constant); // a blend's K (see the blend constructor)
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _target.Dispose();
        base.Dispose();
    }
}
