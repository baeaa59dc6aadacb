using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// A soft region mask carried down to each layer's resolution by area interpolation: a layer cell's weight is the
/// mean of the mask over the pixels it covers (departure from Gatys et al. 2017, who also tried eroding the mask by
/// the receptive field; the resize keeps small regions alive at deep layers). Resized once per layer size and kept, as
/// is its support (<see cref="Support"/>).
/// </summary>
public sealed class LayerMask : IDisposable
{
    private readonly Tensor _mask;
    private readonly Dictionary<(long, long, DeviceType, ScalarType), Tensor> _cache = [];
    private readonly Dictionary<(long, long), double> _areas = [];
    private readonly Dictionary<(long, long, DeviceType, ScalarType), (Tensor? Index, Tensor Weights)> _supports = [];

    /// <summary>Takes a copy of <paramref name="mask"/>: [1, 1, H, W] or [H, W], values in [0, 1].</summary>
    /// <exception cref="NotebookStyleException">Another shape, or values outside [0, 1].</exception>
    public LayerMask(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.detach();
        if (m.dim() == 2) m = m.unsqueeze(0).unsqueeze(0);
        if (m.dim() != 4 || m.shape[0] != 1 || m.shape[1] != 1)
            throw new NotebookStyleException($"A region mask is [1, 1, H, W] or [H, W], got [{string.Join(", ", mask.shape)}].");
        if (m.min().ToDouble() < -1e-6 || m.max().ToDouble() > 1 + 1e-6)
            throw new NotebookStyleException("A region mask's values must be in [0, 1].");
        _mask = m.to_type(ScalarType.Float32).clamp(0, 1).clone().DetachFromDisposeScope();
    }

    /// <summary>The mask as given, [1, 1, H, W].</summary>
    public Tensor Full => _mask;

    /// <summary>The mask at <paramref name="height"/> × <paramref name="width"/> as a [H·W] vector of <paramref name="like"/>'s dtype and device.</summary>
    public Tensor At(long height, long width, Tensor like)
    {
        var key = (height, width, like.device.type, like.dtype);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var resized = _mask.shape[2] == height && _mask.shape[3] == width
            ? _mask
            : nn.functional.interpolate(_mask, [height, width], mode: InterpolationMode.Area);
        var vector = resized.reshape(-1).to(like.device).to_type(like.dtype).contiguous().DetachFromDisposeScope();
        _cache[key] = vector;
        return vector;
    }

    /// <summary>
    /// The mask's support at <paramref name="height"/> × <paramref name="width"/>: the positions where it is above 0 (an
    /// int64 index into the [H·W] positions; null when that is every position) and its values there. Products over the
    /// region (a masked Gram matrix, a weighted mean) then skip the positions the mask zeroes, where they add nothing:
    /// with a map of several regions each region's matrix product runs over its own part of the image, not all of it.
    /// Computed once per size.
    /// </summary>
    public (Tensor? Index, Tensor Weights) Support(long height, long width, Tensor like)
    {
        var key = (height, width, like.device.type, like.dtype);
        if (_supports.TryGetValue(key, out var cached)) return cached;
        var all = At(height, width, like);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var index = all.gt(0).nonzero().reshape(-1);
        var support = index.shape[0] == all.shape[0]
            ? ((Tensor?)null, all)
            : (index.DetachFromDisposeScope(), all.index_select(0, index).contiguous().DetachFromDisposeScope());
        _supports[key] = support;
        return support;
    }

    /// <summary>The mask's (soft) area Σm at <paramref name="height"/> × <paramref name="width"/>, computed once per size (no device sync per evaluation).</summary>
    public double AreaAt(long height, long width, Tensor like)
    {
        if (_areas.TryGetValue((height, width), out var area)) return area;
        using var sum = At(height, width, like).sum();
        return _areas[(height, width)] = sum.ToDouble();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (index, weights) in _supports.Values)
        {
            if (index is null) continue; // the weights are then the cached mask itself
            index.Dispose();
            weights.Dispose();
        }
        _supports.Clear();
        foreach (var t in _cache.Values) t.Dispose();
        _cache.Clear();
        _mask.Dispose();
    }
}
