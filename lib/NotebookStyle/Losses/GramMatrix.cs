using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>The Gram matrix of a feature map: G = F·Fᵀ with F the N×M matrix of N channels over M = H·W positions.</summary>
public static class GramMatrix
{
    /// <summary>Unnormalised Gram matrix (as in the paper) of a [1, N, H, W] or [N, H, W] feature map: shape [N, N].</summary>
    public static Tensor Compute(Tensor features)
    {
        using var f = Flatten(features);
        return f.matmul(f.t());
    }

    /// <summary>
    /// F, the [N, M] matrix of a [1, N, H, W] or [N, H, W] feature map, as a view wherever the map's layout allows:
    /// a contiguous (channels-first) map is read row by row, a channels-last (NHWC, <see cref="Models.ChannelsLast"/>)
    /// map as the transpose of its [M, N] rows, so neither is copied (and autograd keeps no copy). Other layouts (a
    /// tile's core cut out of a wider map) are copied.
    /// </summary>
    public static Tensor Flatten(Tensor features)
    {
        var (n, m) = Size(features);
        if (features.is_contiguous() || !Models.ChannelsLast.Is(features)) return features.reshape(n, m);
        using var positionsFirst = Models.ChannelsLast.PositionsFirst(features);
        using var rows = positionsFirst.reshape(m, n);
        return rows.t();
    }

    /// <summary>N (channels) and M (positions) of a feature map.</summary>
    public static (long N, long M) Size(Tensor features)
    {
        if (features.dim() == 4 && features.shape[0] != 1)
            throw new NotebookStyleException($"Gram matrices are per image; got a batch of {features.shape[0]}.");
        if (features.dim() is not (3 or 4))
            throw new NotebookStyleException($"Expected a [1, N, H, W] feature map, got [{string.Join(", ", features.shape)}].");
        long n = features.shape[^3], m = features.shape[^2] * features.shape[^1];
        return (n, m);
    }
}
