using NotebookStyle.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// A region's soft mask carried down to each layer's resolution by area (<see cref="RegionMask"/>): a layer cell's weight
/// is the mean of the mask over the pixels it covers (departure from Gatys et al. 2017, who also tried eroding the mask by
/// the receptive field; the area resize keeps small regions alive at deep layers). Resized once per layer size and kept,
/// as are its windows' supports (<see cref="Window"/>).
/// </summary>
public sealed class LayerMask : IDisposable
{
    private readonly Tensor _mask;
    private readonly Dictionary<(long, long, DeviceType, ScalarType), Tensor> _cache = [];
    private readonly Dictionary<(long, long, long, long, long, long, DeviceType, ScalarType), MaskWindow> _windows = [];

    /// <summary>Takes a checked copy of <paramref name="mask"/>: [1, 1, H, W] or [H, W], values in [0, 1].</summary>
    /// <exception cref="NotebookStyleException">Another shape, or values outside [0, 1].</exception>
    public LayerMask(Tensor mask) => _mask = RegionMask.Checked(mask).DetachFromDisposeScope();

    /// <summary>The mask as given, [1, 1, H, W].</summary>
    public Tensor Full => _mask;

    /// <summary>The mask at <paramref name="height"/> × <paramref name="width"/> as a [H·W] vector of <paramref name="like"/>'s dtype and device.</summary>
    public Tensor At(long height, long width, Tensor like)
    {
        var key = (height, width, like.device.type, like.dtype);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var vector = RegionMask.Resize(_mask, height, width).reshape(-1).to(like.device).to_type(like.dtype).contiguous().DetachFromDisposeScope();
        _cache[key] = vector;
        return vector;
    }

    /// <summary>
    /// The mask's support over a window of the layer: positions [<paramref name="y"/>, y + <paramref name="h"/>) ×
    /// [<paramref name="x"/>, x + <paramref name="w"/>) of the mask at <paramref name="height"/> × <paramref name="width"/>
    /// (a tile's core; the whole layer is the window (0, 0, height, width)). Products over the region (a masked Gram
    /// matrix, a weighted mean) then skip the positions the mask zeroes, where they add nothing: with a map of several
    /// regions each region's matrix product runs over its own part of the image, not all of it. Computed once per window.
    /// </summary>
    public MaskWindow Window(long height, long width, long y, long x, long h, long w, Tensor like)
    {
        var key = (height, width, y, x, h, w, like.device.type, like.dtype);
        if (_windows.TryGetValue(key, out var cached)) return cached;
        var all = At(height, width, like);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var values = y == 0 && x == 0 && h == height && w == width
            ? all
            : all.reshape(height, width).narrow(0, y, h).narrow(1, x, w).reshape(-1);
        var index = values.gt(0).nonzero().reshape(-1);
        double mass = values.sum().ToDouble();
        var window = index.shape[0] == values.shape[0]
            ? new MaskWindow(null, values.contiguous().clone().DetachFromDisposeScope(), mass)
            : new MaskWindow(index.DetachFromDisposeScope(), values.index_select(0, index).contiguous().DetachFromDisposeScope(), mass);
        _windows[key] = window;
        return window;
    }

    /// <summary>The mask's support over the whole layer at <paramref name="height"/> × <paramref name="width"/> (<see cref="Window"/>).</summary>
    public (Tensor? Index, Tensor Weights) Support(long height, long width, Tensor like)
    {
        var window = Window(height, width, 0, 0, height, width, like);
        return (window.Index, window.Weights);
    }

    /// <summary>The mask's (soft) area Σm at <paramref name="height"/> × <paramref name="width"/>, computed once per size (no device sync per evaluation).</summary>
    public double AreaAt(long height, long width, Tensor like) => Window(height, width, 0, 0, height, width, like).Mass;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var window in _windows.Values)
        {
            window.Index?.Dispose();
            window.Weights.Dispose();
        }
        _windows.Clear();
        foreach (var t in _cache.Values) t.Dispose();
        _cache.Clear();
        _mask.Dispose();
    }
}
