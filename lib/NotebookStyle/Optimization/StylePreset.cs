namespace NotebookStyle.Optimization;

/// <summary>How far a run goes towards the painting; <see cref="NetworkDefaults.For"/> says what that means for each network.</summary>
public enum StylePreset
{
    /// <summary>The network's measured default: the painting's palette and strokes, the photo still readable.</summary>
    Default,
    /// <summary>More style: heavier style term, larger strokes, the painting's full palette.</summary>
    Strong,
    /// <summary>Less style: lighter style term, the photo's structure first.</summary>
    Subtle,
}
