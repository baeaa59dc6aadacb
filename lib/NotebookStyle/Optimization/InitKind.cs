namespace NotebookStyle.Optimization;

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
