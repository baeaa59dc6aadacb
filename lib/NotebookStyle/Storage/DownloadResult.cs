namespace NotebookStyle.Storage;

/// <summary>A verified file from <see cref="VerifiedDownloader"/>.</summary>
/// <param name="Path">The file.</param>
/// <param name="Digest">Its full hex digest, of the request's hash kind (SHA-256 when the hash is recorded on first use).</param>
/// <param name="Outcome">What this call did: found a verified copy, downloaded the file, or replaced a damaged copy.</param>
/// <param name="Address">The address it came from when downloaded (a mirror may have served it).</param>
public sealed record DownloadResult(string Path, string Digest, FetchOutcome Outcome, Uri? Address);
