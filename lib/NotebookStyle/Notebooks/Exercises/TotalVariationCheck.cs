using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Lesson 03's second exercise: total variation as the Keras example writes it, Σ over channels and pixels (i, j) of
/// ((x[i,j] − x[i+1,j])² + (x[i,j] − x[i,j+1])²)^p, on the pixels that have both neighbours. The check runs the
/// learner's function on a seeded [1, 3, 5, 6] image at p = 1.25 and p = 2 and compares it with the library's
/// <see cref="Losses.TotalVariation"/>; it names the usual slips: p ignored or fixed, the power on each term instead of
/// their sum, absolute instead of squared differences, one direction only, a mean instead of a sum, the channels
/// summed before the power.
/// </summary>
public static class TotalVariationCheck
{
    /// <summary>Runs the check on <paramref name="answer"/>(image, p).</summary>
    public static CheckOutcome Evaluate(Func<Tensor, double, Tensor> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 1, 3, 5, 6 }, generator: new Generator(5)).requires_grad_(true);
        var none = new Dictionary<string, Tensor>();
        foreach (double p in new[] { 1.25, 2.0 })
        {
            using var library = new Losses.TotalVariation(p);
            double expected = library.Compute(x, none).ToDouble();
            var (result, failure) = LearnerCode.Call("TotalVariationByHand", () => answer(x, p));
            if (failure is not null) return failure;
            if (result is null) return CheckOutcome.Fail("TotalVariationByHand returned null: return the loss as a tensor.");
            if (result.numel() != 1)
                return CheckOutcome.Fail($"the result has shape {LearnerCode.Shape(result)}: total variation is one number — sum over channels and pixels.");
            double got = result.ToDouble();
            if (got == 0) return CheckOutcome.Fail("0 on an image that is not flat: neighbouring pixels differ, so the loss is positive.");
            if (!result.requires_grad)
                return CheckOutcome.Fail("no gradient can flow back to the image (the result does not require grad): keep the loss a tensor " +
                                         "expression of x, no .item() or .detach().");
            if (Near(got, expected)) continue;
            if (Slip(x, p, got) is { } slip) return CheckOutcome.Fail(slip);
            return CheckOutcome.Fail($"at p = {p}: your loss is {got:G6}, expected {expected:G6}: for each channel and each pixel (i, j) with " +
                                     "a neighbour below and to the right, a = (x[i,j] − x[i+1,j])², b = (x[i,j] − x[i,j+1])²; sum (a + b)^p.");
        }
        return CheckOutcome.Pass("matches the library's TotalVariation at p = 1.25 and p = 2 (a [1, 3, 5, 6] image); gradients flow to the pixels.");
    }

    /// <summary>Which usual slip <paramref name="got"/> is, if any.</summary>
    private static string? Slip(Tensor image, double p, double got)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = image.detach();
        long h = x.shape[2], w = x.shape[3];
        var core = x[.., .., ..(int)(h - 1), ..(int)(w - 1)];
        var dv = core.sub(x[.., .., 1.., ..(int)(w - 1)]);
        var dh = core.sub(x[.., .., ..(int)(h - 1), 1..]);
        var a = dv.square();
        var b = dh.square();
        double Sum(Tensor t) => t.sum().ToDouble();
        double right = Sum(a.add(b).pow(p));
        if (p != 1.25 && Near(got, Sum(a.add(b).pow(1.25))))
            return $"at p = {p} you computed p = 1.25: use the argument p, not a fixed 1.25.";
        if (Near(got, Sum(a.add(b))))
            return $"the power p is missing: raise each (a + b) to p = {p} before summing.";
        if (Near(got, Sum(a.pow(p)) + Sum(b.pow(p))))
            return "the power is on a and b separately: raise their sum, (a + b)^p.";
        if (Near(got, Sum(dv.abs().add(dh.abs()).pow(p))))
            return "absolute differences: square them, a = (x[i,j] − x[i+1,j])² and b = (x[i,j] − x[i,j+1])².";
        if (Near(got, Sum(a.pow(p))))
            return "only the vertical differences (row i against row i + 1): add the horizontal ones, b = (x[i,j] − x[i,j+1])².";
        if (Near(got, Sum(b.pow(p))))
            return "only the horizontal differences (column j against j + 1): add the vertical ones, a = (x[i,j] − x[i+1,j])².";
        if (Near(got, Sum(a.add(b).sum(1).pow(p))))
            return "the channels were summed before the power: take (a + b)^p per channel and pixel, then sum.";
        double count = a.numel();
        if (Near(got, right / count))
            return $"a mean, not a sum: yours is the expected value divided by {count:0} (the number of terms).";
        return null;
    }

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-4 * Math.Abs(b);
}
