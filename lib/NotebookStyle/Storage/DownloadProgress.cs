namespace NotebookStyle.Storage;

/// <summary>How far a download has come; reported a few times per second.</summary>
/// <param name="Name">What is being downloaded (a weight source or an image).</param>
/// <param name="BytesReceived">Bytes in the file so far (a resumed download counts what was already there).</param>
/// <param name="TotalBytes">The full size, from the server or the source; null when unknown.</param>
/// <param name="Elapsed">Time since this fetch started.</param>
public sealed record DownloadProgress(string Name, long BytesReceived, long? TotalBytes, TimeSpan Elapsed)
{
    /// <summary>0..1, or null when the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Min(1.0, (double)BytesReceived / TotalBytes.Value) : null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {BytesReceived / 1048576.0:F1}" + (TotalBytes is { } t ? $" / {t / 1048576.0:F1} MB ({Fraction:P0})" : " MB");
}
