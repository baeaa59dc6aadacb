using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// Total variation of the RGB [0, 1] image: with a = (x[i,j] − x[i+1,j])² and b = (x[i,j] − x[i,j+1])² over
/// pixels that have both neighbours, Σ(a + b)^p. p = 1.25 is the Keras example's form; p = 1 is plain squared TV.
/// </summary>
public sealed class TotalVariation : Loss
{
    /// <summary>Creates the loss with exponent <paramref name="power"/>.</summary>
    public TotalVariation(double power = 1.25) => Power = power;

    /// <summary>The exponent p.</summary>
    public double Power { get; }

    /// <inheritdoc />
    public override string Term => "tv";

    /// <inheritdoc />
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features) =>
        ComputeAt(image, 0, image.shape[^2] - 1, 0, image.shape[^1] - 1); // every pixel with both neighbours

    /// <summary>
    /// The terms of the loss at the positions [<paramref name="top"/>, <paramref name="bottom"/>) ×
    /// [<paramref name="left"/>, <paramref name="right"/>) of <paramref name="crop"/> (a tile's core, in the crop's
    /// coordinates), each of which reads its neighbour below and to the right, so the crop must reach one pixel past
    /// the positions. Cores whose positions partition the image's [0, H−1) × [0, W−1) add up to <see cref="Compute"/>.
    /// </summary>
    public Tensor ComputeAt(Tensor crop, long top, long bottom, long left, long right)
    {
        using var scope = NewDisposeScope();
        if (bottom <= top || right <= left) return zeros(1, dtype: crop.dtype, device: crop.device).squeeze().MoveToOuterDisposeScope();
        var x = crop[.., .., (int)top..(int)bottom, (int)left..(int)right];
        var a = x.sub(crop[.., .., (int)(top + 1)..(int)(bottom + 1), (int)left..(int)right]).square();
        var b = x.sub(crop[.., .., (int)top..(int)bottom, (int)(left + 1)..(int)(right + 1)]).square();
        var s = a.add(b);
        var tv = Power == 1.0 ? s.sum() : s.pow(Power).sum();
        return tv.mul(Weight).MoveToOuterDisposeScope();
    }
}
