using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// The paper's style term at one layer: Σ(G − A)² / (4·N²·M²), G and A the Gram matrices of the image and the style,
/// written per position, ‖Ĝ − Â‖² / (4N²) with Ĝ = G / M and Â = A / M_s, so that a style image of another size (M_s
/// positions instead of M) is compared per position: Gram matrices are sums over positions. It reads the sums
/// Σ mₚ·fₚ·fₚᵀ and Σ mₚ (<see cref="PositionSums"/>): with a region's mask (Gatys et al. 2017, spatial control) Ĝ is the
/// Gram averaged over the region's own soft size, so a small region pulls as hard as a large one (departure from the 2017
/// paper, which sums the masked Grams' losses unnormalised by region size); with no mask, mₚ = 1 and this is the paper's.
/// A blend of styles is one term: per position style i's term is cᵢ‖Ĝ − Âᵢ‖², cᵢ = wᵢ / (4N²) (paper) or wᵢ / ΣÂᵢ²
/// (target-norm), and Σᵢ cᵢ‖Ĝ − Âᵢ‖² = C‖Ĝ − Ā‖² + K with C = Σᵢ cᵢ, Ā = Σᵢ cᵢÂᵢ / C (the targets' weighted average) and
/// K = Σᵢ cᵢ‖Âᵢ − Ā‖², a constant computed here: same value, same gradient, one Gram matrix of the image per evaluation.
/// </summary>
public sealed class StyleLoss : StyleTerm
{
    private readonly Tensor _target;
    private readonly double _scale;
    private readonly double _constant;

    /// <summary>The term for one style image, from its features at <paramref name="layer"/> (its Gram matrix is computed once, here).</summary>
    /// <param name="layer">The layer it reads.</param>
    /// <param name="styleFeatures">The style's features there, [1, N, H, W].</param>
    /// <param name="normalization">How the term is scaled.</param>
    /// <param name="mask">A region's soft mask (copied; resized to the layer by area); null: the whole image.</param>
    public StyleLoss(string layer, Tensor styleFeatures, LossNormalization normalization = LossNormalization.Paper, Tensor? mask = null)
        : base(layer, mask, moments: false)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var sums = PositionSums.Of(styleFeatures.detach());
        (_target, _scale, _constant) = Fit(layer, [(sums, 1.0)], normalization);
    }

    /// <summary>The term for a blend of styles, from each style's sums at <paramref name="layer"/> (<see cref="PositionSums.Of(Tensor, bool)"/>, or in tiles).</summary>
    /// <param name="layer">The layer it reads.</param>
    /// <param name="styles">Each style's unmasked sums at the layer (sizes may differ) and its weight (≥ 0, not all 0; normalised to sum 1).</param>
    /// <param name="normalization">How each style's term is scaled.</param>
    /// <param name="mask">A region's soft mask (copied; resized to the layer by area); null: the whole image.</param>
    /// <exception cref="NotebookStyleException">No style, weights negative, not finite or all 0, or styles with different channels.</exception>
    public StyleLoss(string layer, IReadOnlyList<(PositionSums Style, double Weight)> styles, LossNormalization normalization = LossNormalization.Paper,
        Tensor? mask = null)
        : base(layer, mask, moments: false) =>
        (_target, _scale, _constant) = Fit(layer, styles, normalization);

    /// <summary>Channels N of the layer.</summary>
    public long N => _target.shape[0];

    /// <summary>The target Ā: the styles' per-position Gram matrices Âᵢ = Aᵢ / M_s,i, averaged with weights cᵢ (one style: Â).</summary>
    public Tensor Target => _target;

    /// <summary>C = Σᵢ cᵢ: the term is C‖Ĝ − Ā‖² + K (one style of weight 1: 1/(4N²), or 1/ΣÂ² in target-norm mode).</summary>
    public double Scale => _scale;

    /// <inheritdoc />
    protected override Tensor Distance(PositionSums sums)
    {
        var loss = sums.Second.div(sums.Mass).sub(_target).square().sum().mul(_scale);
        return _constant == 0 ? loss : loss.add(_constant); // a blend's K
    }

    /// <summary>Ā, C and K of a blend (see the class): the one place the blend algebra is written.</summary>
    private static (Tensor Target, double Scale, double Constant) Fit(string layer, IReadOnlyList<(PositionSums Style, double Weight)> styles,
        LossNormalization normalization)
    {
        var weights = BlendWeights.Normalize([.. styles.Select(s => s.Weight)]);
        long n = styles[0].Style.Channels;
        if (styles.Any(s => s.Style.Channels != n))
            throw new NotebookStyleException($"The styles' features at {layer} must all have {n} channels.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var perPosition = new List<(Tensor Target, double C)>();
        for (int i = 0; i < styles.Count; i++)
        {
            if (weights[i] == 0) continue;
            var target = styles[i].Style.Second.detach().div(styles[i].Style.Mass);
            perPosition.Add((target, weights[i] * TargetNorm.Scale(normalization, target.square().sum().ToDouble(), 1.0 / (4.0 * n * n))));
        }
        double total = perPosition.Sum(p => p.C);
        var mean = perPosition.Select(p => p.Target.mul(p.C)).Aggregate((a, b) => a.add(b)).div(total);
        double constant = perPosition.Count == 1 ? 0 : perPosition.Sum(p => p.C * p.Target.sub(mean).square().sum().ToDouble());
        // The loss owns its target: detached from any dispose scope the caller has open (Create builds targets in one).
        return (mean.DetachFromDisposeScope(), total, constant);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _target.Dispose();
        base.Dispose();
    }
}
