using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Lesson 03's first exercise: the style loss of one layer, E = Σ(G − A)² / (4·N²·M²) with G = F·Fᵀ of the image's
/// features flattened to N × M and A the same of the painting's. The check runs the learner's function on seeded
/// [1, 3, 4, 5] features (N = 3, M = 20) and compares it with the library's <see cref="Losses.StyleLoss"/>: a result that
/// is not one number, a graph cut (no gradient), a factor off (named exactly: "4", "N²·M²", "1/M²" …), the positions'
/// Gram matrix Fᵀ·F instead of the channels', or differences not squared.
/// </summary>
public static class StyleLossCheck
{
    private const int N = 3, H = 4, W = 5, M = H * W;

    /// <summary>Runs the check on <paramref name="answer"/>(image features, painting features).</summary>
    public static CheckOutcome Evaluate(Func<Tensor, Tensor, Tensor> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        using var scope = NewDisposeScope();
        var f = rand(new long[] { 1, N, H, W }, generator: new Generator(3)).requires_grad_(true);
        var s = rand(new long[] { 1, N, H, W }, generator: new Generator(4));
        using var library = new Losses.StyleLoss("layer", s);
        double expected = library.Compute(f, new Dictionary<string, Tensor> { ["layer"] = f }).ToDouble();
        var (result, failure) = LearnerCode.Call("StyleLayerLoss", () => answer(f, s));
        if (failure is not null) return failure;
        if (result is null) return CheckOutcome.Fail("StyleLayerLoss returned null: return the loss as a tensor.");
        if (result.numel() != 1)
            return CheckOutcome.Fail($"the loss has shape {LearnerCode.Shape(result)}: it must be one number — sum the squared differences " +
                                     "over every entry of the Gram matrices.");
        double got = result.ToDouble();
        if (got == 0) return CheckOutcome.Fail("the loss is 0, but the image's Gram matrix differs from the painting's.");
        if (!result.requires_grad)
            return CheckOutcome.Fail("no gradient can flow back to the features (the result does not require grad): .item(), .detach() " +
                                     "or a tensor made from numbers cuts the graph — keep the loss a tensor expression of f.");
        if (Math.Abs(got / expected - 1) < 1e-4)
        {
            result.backward();
            if (f.grad is null || f.grad.abs().sum().ToDouble() == 0)
                return CheckOutcome.Fail("the value is right but no gradient reaches the features.");
            return CheckOutcome.Pass($"{expected:G6} = Σ(G − A)² / (4·N²·M²) with N = {N} channels and M = {M} positions; " +
                                     "gradients flow to the features.");
        }
        using (no_grad())
        {
            var ff = f.detach().reshape(N, M);
            var sf = s.reshape(N, M);
            double scale = 4.0 * N * N * M * M;
            double positions = ff.t().matmul(ff).sub(sf.t().matmul(sf)).square().sum().ToDouble();
            double notSquared = ff.matmul(ff.t()).sub(sf.matmul(sf.t())).abs().sum().ToDouble() / scale;
            if (Near(got, positions / scale) || FactorMatch.Describe(got / (positions / scale), Quantities) is not null)
                return CheckOutcome.Fail($"that is the Gram matrix of the positions, Fᵀ·F (M × M = {M} × {M}); style compares channels: " +
                                         $"G = F·Fᵀ, N × N = {N} × {N}.");
            if (Near(got, notSquared))
                return CheckOutcome.Fail("the differences G − A are not squared: E sums (G − A)².");
        }
        double ratio = got / expected;
        if (FactorMatch.Describe(ratio, Quantities) is { } factor)
        {
            string hint = factor switch
            {
                "4·N²·M²" => "nothing was divided: divide the sum by 4·N²·M²",
                "4" => "the 4 is missing: divide by 4·N²·M²",
                "1/M²" => "the Gram matrices were divided by M (a mean over positions, as the heatmaps do) as well as the loss by M²: divide once",
                "N²·M²" or "4·M²" or "4·N²" or "M²" or "N²" => "divide by 4·N²·M² — every factor once",
                _ => "divide the sum of squares by 4·N²·M², once",
            };
            return CheckOutcome.Fail($"your loss is {factor} times the expected one ({got:G6} against {expected:G6}, N = {N}, M = {M}): {hint}.");
        }
        return CheckOutcome.Fail($"your loss is {got:G6}, expected {expected:G6} (ratio {ratio:G4}, not a power of 4, N = {N} or M = {M}): " +
                                 "flatten f to N × M, G = F·Fᵀ, the same for the painting, sum (G − A)², divide by 4·N²·M².");
    }

    private static readonly (string, double)[] Quantities = [("4", 4), ("N", N), ("M", M)];

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-4 * Math.Abs(b);
}
