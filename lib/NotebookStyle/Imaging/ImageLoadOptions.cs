namespace NotebookStyle.Imaging;

/// <summary>Bounds on what <see cref="ImageLoader"/> will decode. Both are checked before any pixel is decoded.</summary>
/// <param name="MaxPixels">Largest width × height accepted (default 40 megapixels); must be positive.</param>
/// <param name="MaxFileBytes">Largest file accepted, in bytes (default 100 MiB); must be positive.</param>
public sealed record ImageLoadOptions(long MaxPixels = 40_000_000, long MaxFileBytes = 100L << 20)
{
    /// <summary>Largest width × height accepted; must be positive.</summary>
    public long MaxPixels { get; init => field = Positive(value, nameof(MaxPixels)); } = Positive(MaxPixels, nameof(MaxPixels));

    /// <summary>Largest file accepted, in bytes; must be positive.</summary>
    public long MaxFileBytes { get; init => field = Positive(value, nameof(MaxFileBytes)); } = Positive(MaxFileBytes, nameof(MaxFileBytes));

    /// <summary>The defaults.</summary>
    public static ImageLoadOptions Default { get; } = new();

    private static long Positive(long value, string name) =>
        value > 0 ? value : throw new NotebookStyleException($"{name} must be positive, got {value}.");
}
