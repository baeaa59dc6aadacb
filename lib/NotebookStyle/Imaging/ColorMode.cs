namespace NotebookStyle.Imaging;

/// <summary>How a run treats colour.</summary>
public enum ColorMode
{
    /// <summary>Plain Gatys: colours are whatever the optimisation makes them.</summary>
    None,
    /// <summary>Recolour the content to the style's palette (mean and covariance) before optimising: the painting's colours.</summary>
    Palette,
    /// <summary>
    /// Like <see cref="Palette"/>, with the style's whole colour distribution matched (sliced histogram matching,
    /// <see cref="ColorTransfer.MatchHistogram"/>): closer to the painting's palette, including its rarer colours.
    /// </summary>
    Histogram,
    /// <summary>Keep the photo's colours: after optimising, put the content's chroma back under the result's luminance.</summary>
    Preserve,
}
