namespace NotebookStyle.Optimization;

/// <summary>Why an <see cref="ObjectiveEvaluator"/> stopped evaluating.</summary>
public enum EvaluationStop
{
    /// <summary>It has not stopped.</summary>
    None,
    /// <summary>The cancellation token fired (checked before each evaluation).</summary>
    Cancelled,
    /// <summary>The evaluation budget is spent (checked before each evaluation, so it is never exceeded).</summary>
    BudgetSpent,
    /// <summary>The loss came out NaN or infinite.</summary>
    NonFiniteLoss,
}
