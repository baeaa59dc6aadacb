namespace NotebookStyle.Storage;

/// <summary>What <see cref="VerifiedDownloader"/> is asked to put where, and how the result is checked.</summary>
/// <param name="Name">Short name for messages and progress (a weight source's name, an image's id).</param>
/// <param name="TargetPath">Where the verified file ends up; <c>.part</c>, <c>.lock</c> (and <c>.sha256</c>) live beside it.</param>
/// <param name="Addresses">Where to download from, tried in order (mirrors); may be empty when the file can only be put there by hand.</param>
public sealed record DownloadRequest(string Name, string TargetPath, IReadOnlyList<Uri> Addresses)
{
    /// <summary>
    /// The expected digest. Null: trust on first use — the SHA-256 of the first download is recorded in
    /// <c>TARGET.sha256</c> and the file is checked against it from then on.
    /// </summary>
    public FileHash? Hash { get; init; }

    /// <summary>The size to show progress against before the server says (the hash, not the size, is what is verified).</summary>
    public long? ExpectedSize { get; init; }

    /// <summary>Largest download accepted; a larger file is refused with <see cref="DownloadRejectedException"/> and not kept.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>
    /// A check of the complete, hash-verified <c>.part</c> file before it is renamed into place: returns why the file is
    /// refused (e.g. "not an image"), or null to accept it.
    /// </summary>
    public Func<string, string?>? Check { get; init; }
}
