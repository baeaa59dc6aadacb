namespace NotebookStyle.Optimization;

/// <summary>
/// One loss-and-gradient evaluation at the optimiser's current point: returns f and leaves ∇f in the parameter's
/// <c>grad</c>, or returns null to stop the optimiser (a spent budget, cancellation, a non-finite loss: the caller knows
/// why). Called exactly once per evaluation, as the Keras example's <c>Evaluator</c> arranged for scipy's L-BFGS.
/// </summary>
public delegate double? Evaluation();
