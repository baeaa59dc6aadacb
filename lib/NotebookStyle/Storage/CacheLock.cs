using System.Diagnostics;

namespace NotebookStyle.Storage;

/// <summary>
/// An exclusive lock on <c>NAME.lock</c> beside a cache entry, held while the entry is checked, downloaded and renamed
/// into place, so that processes sharing a cache (a CLI run and a notebook, a class on one shared folder) never write the
/// same entry at once. It is a <see cref="FileStream"/> opened with <see cref="FileShare.None"/>: an advisory
/// <c>flock</c> on Unix, a sharing lock on Windows. The operating system releases it when its process ends, however it
/// ends, so a killed download never leaves a stale lock. The lock file itself stays (deleting it would let a waiting
/// process lock a file that is no longer the one at the path).
/// </summary>
public sealed class CacheLock : IDisposable
{
    private readonly FileStream _stream;

    private CacheLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>
    /// Takes the lock at <paramref name="path"/>, waiting up to <paramref name="timeout"/> while another process holds it
    /// (checked every 100 ms). <paramref name="waiting"/> is called once if the lock is taken when first tried.
    /// </summary>
    /// <exception cref="CacheLockTimeoutException">Still held by another process after <paramref name="timeout"/>.</exception>
    /// <exception cref="CacheUnusableException">The lock file cannot be created (a folder in its place, no folder, no write permission).</exception>
    public static async Task<CacheLock> AcquireAsync(string path, TimeSpan timeout, Action? waiting = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        bool told = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new CacheLock(stream, path);
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                if (clock.Elapsed >= timeout)
                    throw new CacheLockTimeoutException(path,
                        $"Another process has been downloading into this cache entry for over {timeout.TotalSeconds:F0} s " +
                        $"(lock {path} is held). Let it finish and run again, or use another cache folder ({CacheLocation.EnvironmentVariable}).");
                if (!told)
                {
                    told = true;
                    waiting?.Invoke();
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unusable(path, e);
            }
        }
    }

    /// <summary>
    /// A <see cref="CacheUnusableException"/> naming <paramref name="path"/> and what the file system said;
    /// <paramref name="isFolder"/>: the path should be a folder (else a file).
    /// </summary>
    internal static CacheUnusableException Unusable(string path, Exception e, bool isFolder = false)
    {
        string why = isFolder && File.Exists(path) ? $"{path} is a regular file, not a folder"
            : !isFolder && Directory.Exists(path) ? "a folder is in the way of a file there"
            : FirstFileAbove(path) is { } file ? $"{file} is a regular file, not a folder"
            : e is UnauthorizedAccessException ? "it cannot be written (permissions)"
            : e.Message;
        return new CacheUnusableException(path,
            $"The cache cannot be used at {path}: {why}. Remove what is in the way or set {CacheLocation.EnvironmentVariable} " +
            "to a writable folder.", e);
    }

    // A regular file where a folder of the path should be (e.g. NOTEBOOKSTYLE_CACHE pointing at a file).
    private static string? FirstFileAbove(string path)
    {
        for (string? d = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)); !string.IsNullOrEmpty(d); d = System.IO.Path.GetDirectoryName(d))
            if (File.Exists(d)) return d;
        return null;
    }

    // EWOULDBLOCK from flock (11 on Linux, 35 on macOS) or ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows.
    private static bool IsHeldElsewhere(IOException e) =>
        e.GetType() == typeof(IOException) && (e.HResult is 11 or 35 || (e.HResult & 0xFFFF) is 32 or 33);

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
