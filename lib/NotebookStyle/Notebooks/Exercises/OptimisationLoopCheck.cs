using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Lesson 04's exercise: the optimisation loop with the two things the driver adds to lesson's dozen lines — a clamp
/// that keeps the pixels in [0, 1] after every step, and the best image seen kept as a copy. The check hands the
/// learner's loop a tiny image, an objective whose unconstrained optimum lies partly outside [0, 1] and an SGD with
/// momentum whose steps overshoot and swing back (so the last image is not the best), records every image the objective sees, and says what is
/// wrong: no step taken, pixels outside [0, 1] (and at which step), the last image returned instead of the best, a
/// result still attached to the graph.
/// </summary>
public static class OptimisationLoopCheck
{
    /// <summary>The learner's loop: the pixels, the objective, the optimiser over the pixels, the number of steps → the best image.</summary>
    public delegate Tensor Loop(TorchSharp.Modules.Parameter x, Func<Tensor, Tensor> objective, optim.Optimizer optimizer, int steps);

    /// <summary>Steps the check asks for.</summary>
    public const int Steps = 20;

    /// <summary>The optimiser's learning rate in the check; with momentum 0.9 the pixels swing past their target and back
    /// (a damped oscillation of period ≈ 14 steps), so the last image is not the best.</summary>
    public const double LearningRate = 0.1;

    /// <summary>Runs the check.</summary>
    public static CheckOutcome Evaluate(Loop answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        using var scope = NewDisposeScope();
        var target = rand(new long[] { 1, 3, 4, 4 }, generator: new Generator(6)).mul(1.6).sub(0.3);
        var start = full(new long[] { 1, 3, 4, 4 }, 0.5f);
        var seen = new List<(double Loss, double Min, double Max, Tensor Image)>();
        Tensor Objective(Tensor image)
        {
            var loss = image.sub(target).square().sum();
            using (no_grad())
                seen.Add((loss.ToDouble(), image.min().ToDouble(), image.max().ToDouble(), image.detach().clone()));
            return loss;
        }
        var x = new TorchSharp.Modules.Parameter(start.clone());
        var optimizer = optim.SGD([x], LearningRate, momentum: 0.9);
        var (result, failure) = LearnerCode.Call("your loop", () => answer(x, Objective, optimizer, Steps));
        if (failure is not null) return failure;
        if (result is null) return CheckOutcome.Fail("your loop returned null: return the best image.");
        if (seen.Count == 0)
            return CheckOutcome.Fail("the objective was never evaluated: the loop takes no step (the image returned is the start).");
        if (seen.Count < Steps)
            return CheckOutcome.Fail($"the objective was evaluated {seen.Count} time(s) for {Steps} steps: evaluate it once in every step.");
        if (!result.shape.SequenceEqual(start.shape))
            return CheckOutcome.Fail($"the result has shape {LearnerCode.Shape(result)}, the image {LearnerCode.Shape(start)}.");
        if (result.requires_grad)
            return CheckOutcome.Fail("the result is still attached to the graph (it requires grad): return a copy, x.detach().clone().");
        if (seen.All(s => s.Image.allclose(start, 0, 0)))
            return CheckOutcome.Fail("x never changed: in each step call optimizer.zero_grad(), loss.backward(), then optimizer.step().");
        int outside = seen.FindIndex(s => s.Min < 0 || s.Max > 1);
        if (outside >= 0)
            return CheckOutcome.Fail($"step {outside + 1} evaluated pixels from {seen[outside].Min:F2} to {seen[outside].Max:F2}: clamp x to " +
                                     "[0, 1] after every optimizer step, under torch.no_grad() — x.clamp_(0, 1).");
        using var r = result.detach().to(start.dtype, start.device);
        double min = r.min().ToDouble(), max = r.max().ToDouble();
        if (min < 0 || max > 1)
            return CheckOutcome.Fail($"the result's pixels run from {min:F2} to {max:F2}: clamp x to [0, 1] after every step.");
        double resultLoss;
        using (no_grad()) resultLoss = r.sub(target).square().sum().ToDouble();
        int best = Enumerable.Range(0, seen.Count).MinBy(i => seen[i].Loss);
        if (resultLoss > seen[best].Loss * (1 + 1e-5) + 1e-7)
        {
            string last = seen[^1].Image.allclose(r) || x.detach().allclose(r) ? " — it is the last image" : "";
            return CheckOutcome.Fail($"the result's loss is {resultLoss:G4}{last}, but step {best + 1} evaluated {seen[best].Loss:G4}: keep " +
                                     "the best image seen, as a copy (x.detach().clone()) — x keeps changing after it is seen.");
        }
        return CheckOutcome.Pass($"{seen.Count} evaluations, every image within [0, 1]; the result is the best one seen (loss {resultLoss:G4}, " +
                                 $"step {best + 1}; the last step's was {seen[^1].Loss:G4}).");
    }
}
