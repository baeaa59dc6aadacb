namespace NotebookStyle.Losses;

/// <summary>The scale a term is multiplied by under a <see cref="LossNormalization"/>: written once for every term.</summary>
internal static class TargetNorm
{
    /// <summary>
    /// 1 / <paramref name="targetSquaredNorm"/> (floored at 1e-12) in target-norm mode (deviation from the paper, see
    /// <see cref="LossNormalization.TargetNorm"/>), else the term's <paramref name="paper"/> scale.
    /// </summary>
    public static double Scale(LossNormalization normalization, double targetSquaredNorm, double paper) =>
        normalization == LossNormalization.TargetNorm ? 1.0 / Math.Max(targetSquaredNorm, 1e-12) : paper;
}
