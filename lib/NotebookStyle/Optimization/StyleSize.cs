namespace NotebookStyle.Optimization;

/// <summary>How large the style image is used, relative to the result: one rule for the driver and every front end.</summary>
public static class StyleSize
{
    /// <summary>The smallest long side a style image is resized to, in pixels.</summary>
    public const int MinLongSide = 8;

    /// <summary>
    /// The style image's long side for a result whose long side is <paramref name="contentLongSide"/>:
    /// <paramref name="styleScale"/> × that, rounded (halves to even), at least <see cref="MinLongSide"/>.
    /// </summary>
    public static int LongSide(long contentLongSide, double styleScale)
    {
        if (contentLongSide < 1) throw new NotebookStyleException($"The result's long side must be at least 1 pixel, got {contentLongSide}.");
        if (!(styleScale > 0 && styleScale <= 8)) throw new NotebookStyleException($"StyleScale must be in (0, 8], got {styleScale}.");
        return (int)Math.Max(MinLongSide, Math.Round(contentLongSide * styleScale));
    }
}
