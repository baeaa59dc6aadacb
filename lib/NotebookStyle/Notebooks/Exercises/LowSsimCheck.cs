using NotebookStyle.Models;
using NotebookStyle.Optimization;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Lesson 05's exercise: settings that take the result's structure away from the photo — SSIM of luminance below
/// <see cref="Threshold"/>, and at least <see cref="MinDrop"/> below the baseline's, so that a change that does nothing
/// cannot pass where the baseline is low already — with the content term kept. The check runs the baseline and the
/// learner's settings small (long side at most <see cref="Size"/> px, the baseline's iteration budget for both: the
/// budget is not the answer) and measures both SSIMs.
/// </summary>
public static class LowSsimCheck
{
    /// <summary>The SSIM to get below.</summary>
    public const double Threshold = 0.3;

    /// <summary>How far below the baseline's SSIM the answer's must be.</summary>
    public const double MinDrop = 0.1;

    /// <summary>The long side the check runs at, at most.</summary>
    public const int Size = 96;

    /// <summary>Runs the check.</summary>
    /// <param name="network">The lesson's network.</param>
    /// <param name="content">The photo.</param>
    /// <param name="style">The painting.</param>
    /// <param name="baseline">The lesson's baseline settings.</param>
    /// <param name="answer">The learner's function: baseline → their settings.</param>
    public static CheckOutcome Evaluate(FeatureExtractor network, Tensor content, Tensor style, StyleTransferSettings baseline,
        Func<StyleTransferSettings, StyleTransferSettings> answer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(answer);
        var (mine, failure) = LearnerCode.Call("LowSsim", () => answer(baseline));
        if (failure is not null) return failure;
        if (mine is null) return CheckOutcome.Fail("LowSsim returned null: return the baseline `with` the settings you change.");
        if (mine.ContentWeight == 0)
            return CheckOutcome.Fail("a content weight of 0 removes the photo from the objective by definition: keep the content term and " +
                                     "find what else decides how much of the photo survives.");
        var budget = mine with { Iterations = baseline.Iterations, MaxEvaluations = baseline.MaxEvaluations };
        int size = (int)Math.Min(Size, Math.Max(content.shape[^2], content.shape[^1]));
        var set = new ExperimentSet("SSIM below 0.3", [new Experiment("baseline", baseline) { Size = size }, new Experiment("yours", budget) { Size = size }], []);
        using var run = Experiments.Run(set, network, content, style, _ => { });
        double before = run.Results[0].Quality.Ssim, after = run.Results[1].Quality.Ssim;
        string measured = $"SSIM to the photo {after:F2} (baseline {before:F2}; {size} px, {baseline.Iterations} iterations each)";
        if (budget == baseline)
            return CheckOutcome.Fail($"these are the baseline settings — {measured}: change how the method runs, not its budget " +
                                     "(the check runs every answer with the baseline's iterations).");
        if (after >= Threshold)
            return CheckOutcome.Fail($"{measured}: still ≥ {Threshold} — the photo's structure survives. Which setting decides where the " +
                                     "pixels start, or how hard the style pulls against the content?");
        if (after > before - MinDrop)
            return CheckOutcome.Fail($"{measured}: hardly below the baseline's (by less than {MinDrop}) — your change is not what takes " +
                                     "the photo away here. Which setting decides where the pixels start?");
        return CheckOutcome.Pass($"{measured}: below {Threshold}, the photo's structure is gone. Now say why in the cell below.");
    }
}
