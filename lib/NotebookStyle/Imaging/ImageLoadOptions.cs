namespace NotebookStyle.Imaging;

/// <summary>Bounds on what <see cref="ImageLoader"/> will decode. The header is checked before any pixel is decoded.</summary>
/// <param name="MaxPixels">Largest width × height accepted (default 40 megapixels).</param>
/// <param name="MaxFileBytes">Largest file accepted (default 100 MiB).</param>
public sealed record ImageLoadOptions(long MaxPixels = 40_000_000, long MaxFileBytes = 100L << 20)
{
    /// <summary>The defaults.</summary>
    public static ImageLoadOptions Default { get; } = new();
}
