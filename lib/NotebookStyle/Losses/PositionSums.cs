using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// What every style term reads of one layer: sums over positions p of the (masked) features, Σ mₚ·fₚ·fₚᵀ (the Gram sum;
/// with mₚ = 1, the paper's G = F·Fᵀ), optionally Σ mₚ·fₚ (the first moment), and the mass Σ mₚ (the number of positions
/// when unmasked). Sums over disjoint sets of positions add up (<see cref="Add"/>): a tiled evaluation sums its tiles'
/// cores and gets the whole image's statistic, so every term that reads only these sums can be evaluated in tiles.
/// </summary>
public sealed class PositionSums : IDisposable
{
    /// <summary>Wraps sums (owned from here on).</summary>
    /// <param name="first">Σ m·f, [N] (null when not wanted).</param>
    /// <param name="second">Σ m·f·fᵀ, [N, N].</param>
    /// <param name="mass">Σ m.</param>
    public PositionSums(Tensor? first, Tensor second, double mass)
    {
        First = first;
        Second = second;
        Mass = mass;
    }

    /// <summary>Σ m·f, [N] (null unless the statistic asks for moments).</summary>
    public Tensor? First { get; }

    /// <summary>Σ m·f·fᵀ, [N, N].</summary>
    public Tensor Second { get; }

    /// <summary>Σ m (a constant of the image: no gradient flows through it).</summary>
    public double Mass { get; private set; }

    /// <summary>Channels N.</summary>
    public long Channels => Second.shape[0];

    /// <summary>The unmasked sums of a whole [1, N, H, W] feature map (a style image's, for a target).</summary>
    public static PositionSums Of(Tensor features, bool moments = false)
    {
        GramMatrix.Size(features); // checks the shape
        return Of(features, new LayerStatistic("", null, moments), features.shape[^2], features.shape[^1], 0, 0);
    }

    /// <summary>
    /// The sums of <paramref name="statistic"/> over <paramref name="features"/> [1, N, h, w], the positions
    /// [<paramref name="y"/>, y + h) × [<paramref name="x"/>, x + w) of a layer of <paramref name="height"/> ×
    /// <paramref name="width"/> (the whole map, or a tile's core of it).
    /// </summary>
    public static PositionSums Of(Tensor features, LayerStatistic statistic, long height, long width, long y, long x)
    {
        using var scope = NewDisposeScope();
        var (_, m) = GramMatrix.Size(features);
        var f = GramMatrix.Flatten(features);
        if (statistic.Moments) f = f.to_type(ScalarType.Float64);
        Tensor second, first;
        double mass;
        if (statistic.Mask is null)
        {
            second = f.matmul(f.t());
            first = statistic.Moments ? f.sum(1) : null!;
            mass = m;
        }
        else
        {
            var window = statistic.Mask.Window(height, width, y, x, features.shape[^2], features.shape[^1], f);
            if (window.Index is not null) f = f.index_select(1, window.Index); // the positions the mask zeroes add nothing
            second = f.mul(window.Weights.unsqueeze(0)).matmul(f.t());
            first = statistic.Moments ? f.matmul(window.Weights) : null!;
            mass = window.Mass;
        }
        return new PositionSums(statistic.Moments ? first.MoveToOuterDisposeScope() : null, second.MoveToOuterDisposeScope(), mass);
    }

    /// <summary>Adds <paramref name="other"/>'s sums into these (in place, no graph).</summary>
    public void Add(PositionSums other)
    {
        using var _ = no_grad();
        Second.add_(other.Second);
        First?.add_(other.First!);
        Mass += other.Mass;
    }

    /// <summary>Detached copies with gradients on: the leaves a tiled evaluation differentiates the terms at.</summary>
    public PositionSums Leaves() =>
        new(First?.detach().clone().requires_grad_(true), Second.detach().clone().requires_grad_(true), Mass);

    /// <summary>Copies taken out of every dispose scope (kept across evaluations: targets, accumulators).</summary>
    public PositionSums Kept() =>
        new(First?.detach().clone().DetachFromDisposeScope(), Second.detach().clone().DetachFromDisposeScope(), Mass);

    /// <summary>
    /// ⟨g.First, First⟩ + ⟨g.Second, Second⟩ for the gradients <paramref name="gradients"/> of a loss with respect to a
    /// whole image's sums: back-propagated from a tile's sums, its gradient is that tile's share of the loss's.
    /// </summary>
    public Tensor Pairing(PositionSums gradients)
    {
        var pairing = Second.mul(gradients.Second).sum();
        if (First is not null && gradients.First is not null) pairing = pairing.add(First.mul(gradients.First).sum());
        return pairing;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        First?.Dispose();
        Second.Dispose();
    }
}
