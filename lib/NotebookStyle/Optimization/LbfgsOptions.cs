namespace NotebookStyle.Optimization;

/// <summary>L-BFGS settings; the defaults are PyTorch's <c>LBFGS(lr=1, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100, line_search_fn="strong_wolfe")</c>.</summary>
/// <param name="LearningRate">Initial step length tried by the line search (after the first iteration).</param>
/// <param name="HistorySize">Number of (s, y) pairs kept.</param>
/// <param name="ToleranceGrad">Stop when max |∇f| falls to this.</param>
/// <param name="ToleranceChange">Stop when the step or the change in f falls below this.</param>
/// <param name="StrongWolfe">Use the strong-Wolfe line search (without it the step is fixed at <paramref name="LearningRate"/>).</param>
/// <param name="C1">Sufficient-decrease constant of the Wolfe conditions.</param>
/// <param name="C2">Curvature constant of the Wolfe conditions.</param>
/// <param name="MaxLineSearch">Most function evaluations of one line search.</param>
public sealed record LbfgsOptions(
    double LearningRate = 1.0,
    int HistorySize = 100,
    double ToleranceGrad = 1e-7,
    double ToleranceChange = 1e-9,
    bool StrongWolfe = true,
    double C1 = 1e-4,
    double C2 = 0.9,
    int MaxLineSearch = 25);
