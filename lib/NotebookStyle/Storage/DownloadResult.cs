namespace NotebookStyle.Storage;

/// <summary>A verified file from <see cref="VerifiedDownloader"/>.</summary>
/// <param name="Path">The file.</param>
/// <param name="Digest">Its full hex digest, of the request's hash kind (SHA-256 when the hash is recorded on first use).</param>
/// <param name="Downloaded">True when this call downloaded it; false when a verified copy was already there.</param>
/// <param name="Address">The address it came from when downloaded (a mirror may have served it).</param>
public sealed record DownloadResult(string Path, string Digest, bool Downloaded, Uri? Address);
