using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Tests.Optimization;

namespace NotebookStyle.Tests.Notebooks.Exercises;

/// <summary>Lesson 05's check on a seeded random VGG19 and tiny images: noise init passes; the baseline (the stub), a zero content weight and a change that keeps the photo fail.</summary>
public class LowSsimCheckTests(DriverFixture fx) : IClassFixture<DriverFixture>
{
    private static readonly StyleTransferSettings Baseline = DriverFixture.Settings(10);

    private CheckOutcome Evaluate(Func<StyleTransferSettings, StyleTransferSettings> answer) =>
        LowSsimCheck.Evaluate(fx.Network, fx.Content, fx.Style, Baseline, answer);

    [Fact]
    public void StartingFromNoisePasses()
    {
        var outcome = Evaluate(b => b with { Init = InitKind.Noise });
        Assert.True(outcome.Passed, outcome.Message);
        Assert.Matches(@"^✔ SSIM to the photo 0\.\d\d \(baseline 0\.\d\d; 32 px, 10 iterations each\): below 0\.3", outcome.Message);
    }

    [Fact]
    public void TheStubFails()
    {
        var outcome = Evaluate(b => b);
        Assert.False(outcome.Passed);
        Assert.StartsWith("✘ these are the baseline settings — SSIM to the photo", outcome.Message);
        // The budget is the check's: more iterations alone are the baseline again.
        Assert.StartsWith("✘ these are the baseline settings", Evaluate(b => b with { Iterations = 1 }).Message);
        Assert.Throws<ExerciseCheckException>(() => Check.LowSsim(fx.Network, fx.Content, fx.Style, Baseline, b => b));
    }

    [Fact]
    public void AZeroContentWeightAndAChangeThatKeepsThePhotoFail()
    {
        Assert.StartsWith("✘ a content weight of 0 removes the photo", Evaluate(b => b with { ContentWeight = 0 }).Message);
        var weak = Evaluate(b => b with { StyleWeight = b.StyleWeight * 0.001 });
        Assert.False(weak.Passed, weak.Message);
        Assert.Contains("still ≥ 0.3 — the photo's structure survives", weak.Message);
        // A change that does nothing to the structure cannot pass on a baseline whose SSIM is low already.
        var nothing = LowSsimCheck.Evaluate(fx.Network, fx.Content, fx.Style, Baseline with { Init = InitKind.Noise }, b => b with { TvWeight = 1.01 });
        Assert.False(nothing.Passed, nothing.Message);
        Assert.Contains("hardly below the baseline's", nothing.Message);
        Assert.Contains("LowSsim threw InvalidOperationException: no", Evaluate(_ => throw new InvalidOperationException("no")).Message);
    }
}
