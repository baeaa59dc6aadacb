namespace NotebookStyle.Optimization;

/// <summary>Why a run stopped.</summary>
public enum StopReason
{
    /// <summary>The iteration budget was used up.</summary>
    Iterations,
    /// <summary>The evaluation budget was used up.</summary>
    Evaluations,
    /// <summary>The optimiser converged (gradient, step or change below tolerance).</summary>
    Converged,
    /// <summary>The cancellation token fired; the result holds the best image so far.</summary>
    Cancelled,
}
