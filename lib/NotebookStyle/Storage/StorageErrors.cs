namespace NotebookStyle.Storage;

/// <summary>
/// The cache folder cannot be used: its path is a regular file, a folder sits where a file must go (the download's
/// <c>.part</c>, its lock, the file itself), or it cannot be written. <see cref="Path"/> is the offending path.
/// </summary>
public sealed class CacheUnusableException(string path, string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new IOException(message))
{
    /// <summary>The path that is in the way or cannot be written.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// Nothing could be downloaded: no network, a refused connection, a server error or no answer in time, at every
/// address of the download. The message names each address and what went wrong there.
/// </summary>
public sealed class DownloadUnavailableException(string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new HttpRequestException(message));

/// <summary>A downloaded or cached file's hash differs from the expected one; the file has been removed and nothing was served.</summary>
public sealed class HashMismatchException(string path, FileHash expected, string actual, string message)
    : NotebookStyleException(message)
{
    /// <summary>Where the file was (it has been deleted).</summary>
    public string Path { get; } = path;

    /// <summary>The expected hash.</summary>
    public FileHash Expected { get; } = expected;

    /// <summary>The file's actual hash (full hex digest).</summary>
    public string Actual { get; } = actual;
}

/// <summary>
/// A download stopped part-way. What arrived is kept under a <c>.part</c> name that is never served; the next fetch
/// resumes from it (or restarts when the server cannot resume).
/// </summary>
public sealed class DownloadInterruptedException(string message, Exception inner) : NotebookStyleException(message, inner);

/// <summary>
/// The server's file is not acceptable for another reason than its hash: larger than allowed, or refused by the
/// download's own check (e.g. not a decodable image). Nothing was kept.
/// </summary>
public sealed class DownloadRejectedException(string message) : NotebookStyleException(message);

/// <summary>
/// Another process held the download's lock for longer than the wait allowed (it is probably still downloading the
/// same file). Nothing was changed; run again when it has finished.
/// </summary>
public sealed class CacheLockTimeoutException(string lockPath, string message) : NotebookStyleException(message)
{
    /// <summary>The lock file that stayed taken.</summary>
    public string LockPath { get; } = lockPath;
}
