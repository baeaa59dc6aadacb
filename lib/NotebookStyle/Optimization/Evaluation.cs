using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// One loss-and-gradient evaluation at the optimiser's current point: returns f and leaves ∇f in the
/// parameter's <c>grad</c>. Called exactly once per evaluation (as the seed's GradientAndLoss arranged for scipy).
/// </summary>
public delegate double Evaluation();

/// <summary>An optimiser that advances one iteration at a time, so a driver can report progress and cancel between iterations.</summary>
public interface IIterativeOptimizer : IDisposable
{
    /// <summary>The parameter being optimised (a leaf tensor with gradients on).</summary>
    Tensor Parameter { get; }

    /// <summary>Evaluations so far.</summary>
    int Evaluations { get; }

    /// <summary>f at the current point, once known.</summary>
    double Loss { get; }

    /// <summary>Runs one iteration; returns false when converged (nothing more to do).</summary>
    bool Step();
}
