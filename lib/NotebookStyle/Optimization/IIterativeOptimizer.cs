using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>An optimiser that advances one iteration at a time, so a driver can report progress and cancel between iterations.</summary>
public interface IIterativeOptimizer : IDisposable
{
    /// <summary>The parameter being optimised (a leaf tensor with gradients on).</summary>
    Tensor Parameter { get; }

    /// <summary>Evaluations that returned a value so far.</summary>
    int Evaluations { get; }

    /// <summary>f at the current point, once known.</summary>
    double Loss { get; }

    /// <summary>
    /// Which evaluation <see cref="Loss"/> comes from: its number (1-based, counting <see cref="Evaluations"/>), 0 before
    /// the first. A caller that records something per evaluation (loss terms) looks up the accepted one with it.
    /// </summary>
    int AcceptedEvaluation { get; }

    /// <summary>
    /// Runs one iteration. <see cref="StepOutcome.Stepped"/>: done, more may follow; <see cref="StepOutcome.Converged"/>:
    /// nothing more to do; <see cref="StepOutcome.Stopped"/>: an evaluation returned null, the parameter is back at the
    /// last accepted point. After either of the last two, every further call returns the same without evaluating.
    /// </summary>
    StepOutcome Step();
}
