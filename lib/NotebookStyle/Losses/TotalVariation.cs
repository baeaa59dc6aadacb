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
    public override Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        long h = image.shape[^2], w = image.shape[^1];
        var x = image[.., .., ..(int)(h - 1), ..(int)(w - 1)];
        var a = x.sub(image[.., .., 1.., ..(int)(w - 1)]).square();
        var b = x.sub(image[.., .., ..(int)(h - 1), 1..]).square();
        var s = a.add(b);
        // d/ds s^p = p·s^(p−1) is 0 at s = 0 for p > 1: flat regions give no NaN.
        var tv = Power == 1.0 ? s.sum() : s.pow(Power).sum();
        return tv.mul(Weight).MoveToOuterDisposeScope();
    }
}
