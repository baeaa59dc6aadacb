namespace NotebookStyle.Optimization;

/// <summary>Which optimiser the driver uses.</summary>
public enum OptimizerKind
{
    /// <summary>L-BFGS with a strong-Wolfe line search (the Keras example's choice, via scipy).</summary>
    Lbfgs,
    /// <summary>Adam.</summary>
    Adam,
}

/// <summary>Where the optimisation starts.</summary>
public enum InitKind
{
    /// <summary>The content image.</summary>
    Content,
    /// <summary>Seeded uniform noise in [0, 1].</summary>
    Noise,
    /// <summary>The style image, resized to the content's size.</summary>
    Style,
}

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
