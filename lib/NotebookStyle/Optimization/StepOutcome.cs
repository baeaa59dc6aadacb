namespace NotebookStyle.Optimization;

/// <summary>What one optimiser iteration did.</summary>
public enum StepOutcome
{
    /// <summary>The iteration moved to a new accepted point; more iterations may follow.</summary>
    Stepped,
    /// <summary>Converged (gradient, step or change below tolerance): nothing more to do.</summary>
    Converged,
    /// <summary>An evaluation returned null (the caller's stop): the iteration was abandoned at the last accepted point.</summary>
    Stopped,
}
