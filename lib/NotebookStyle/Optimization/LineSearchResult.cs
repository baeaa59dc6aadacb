namespace NotebookStyle.Optimization;

/// <summary>What one line search started from and accepted, for checking the Wolfe conditions.</summary>
/// <param name="Step">Accepted step length t.</param>
/// <param name="F0">f at the start point.</param>
/// <param name="Slope0">Directional derivative ∇f·d at the start (negative).</param>
/// <param name="F">f at the accepted point.</param>
/// <param name="Slope">∇f·d at the accepted point.</param>
/// <param name="Evaluations">Function evaluations spent.</param>
public sealed record LineSearchResult(double Step, double F0, double Slope0, double F, double Slope, int Evaluations)
{
    /// <summary>Sufficient decrease: f ≤ f0 + c1·t·slope0.</summary>
    public bool Armijo(double c1 = 1e-4) => F <= F0 + c1 * Step * Slope0;

    /// <summary>Strong curvature condition: |slope| ≤ c2·|slope0|.</summary>
    public bool StrongCurvature(double c2 = 0.9) => Math.Abs(Slope) <= c2 * Math.Abs(Slope0);
}
