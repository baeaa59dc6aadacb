using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>Content loss at one layer: Σ(F − P)² against the content image's features P.</summary>
public sealed class ContentLoss : Loss
{
    private readonly Tensor _target;
    private readonly double _scale;

    /// <summary>Creates the loss; <paramref name="target"/> (the content's features at <paramref name="layer"/>) is copied and detached.</summary>
    public ContentLoss(string layer, Tensor target, LossNormalization normalization = LossNormalization.Paper)
    {
        Layer = layer;
        // The loss owns its target: detached from any dispose scope the caller has open (Create builds targets in one).
        _target = target.detach().clone().DetachFromDisposeScope();
        // Deviation: the paper has ½Σ(F−P)²; the Keras example uses the plain sum of squares.
        using (NewDisposeScope())
            _scale = TargetNorm.Scale(normalization, _target.square().sum().ToDouble(), 1.0);
    }

    /// <inheritdoc />
    public override string Term => "content";

    /// <inheritdoc />
    public override string Layer { get; }

    /// <summary>The content features P.</summary>
    public Tensor Target => _target;

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        return features[Layer].sub(_target).square().sum().mul(Weight * _scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The terms of the loss at the target's positions [<paramref name="y"/>, y + h) × [<paramref name="x"/>, x + w)
    /// for <paramref name="features"/> [1, N, h, w] there (a tile's core): the cores' values add up to the loss.
    /// </summary>
    public Tensor ComputeAt(Tensor features, long y, long x)
    {
        using var scope = NewDisposeScope();
        var target = _target.narrow(-2, y, features.shape[^2]).narrow(-1, x, features.shape[^1]);
        return features.sub(target).square().sum().mul(Weight * _scale).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _target.Dispose();
        base.Dispose();
    }
}
