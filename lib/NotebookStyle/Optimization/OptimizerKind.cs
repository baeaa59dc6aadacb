namespace NotebookStyle.Optimization;

/// <summary>Which optimiser the driver uses.</summary>
public enum OptimizerKind
{
    /// <summary>L-BFGS with a strong-Wolfe line search (the Keras example's choice, via scipy).</summary>
    Lbfgs,
    /// <summary>Adam.</summary>
    Adam,
}
