namespace NotebookStyle.Losses;

/// <summary>How content and style terms are scaled.</summary>
public enum LossNormalization
{
    /// <summary>As the paper: content Σ(F−P)², style Σ(G−A)²/(4N²M²).</summary>
    Paper,
    /// <summary>
    /// Each term divided by its target's squared norm (Σ P², Σ A²), so that layers of very different magnitude
    /// count as their weights say; measured to work best with the offline ResNet.
    /// </summary>
    TargetNorm,
}
