using System.Diagnostics.CodeAnalysis;
using NotebookStyle.Storage;

namespace NotebookStyle.Weights;

/// <summary>
/// The cache of downloaded weights (<see cref="CacheLocation"/>): each source's file at the cache's top, fetched and
/// checked by the <see cref="VerifiedDownloader"/> — streamed into <c>NAME.part</c>, hash-verified, renamed atomically
/// under a lock, resumed after an interruption, mirrors tried in order. A cached file is hashed on every check (a
/// marker beside it could be forged); one whose hash does not match is deleted, with a notice, and never served.
/// </summary>
public sealed class WeightStore : IDisposable
{
    private readonly VerifiedDownloader _downloader;

    /// <summary>
    /// Creates a store. <paramref name="cacheDirectory"/> defaults to <see cref="CacheLocation.Default"/>;
    /// <paramref name="handler"/> replaces the network (tests); <paramref name="notice"/> receives one-line messages
    /// about what the store did on its own (e.g. removing a corrupt cached file, waiting for another process).
    /// </summary>
    public WeightStore(string? cacheDirectory = null, HttpMessageHandler? handler = null, Action<string>? notice = null)
    {
        CacheDirectory = Path.GetFullPath(cacheDirectory ?? CacheLocation.Default());
        _downloader = new VerifiedDownloader(handler, notice: notice);
    }

    /// <summary>Where downloaded weights live.</summary>
    public string CacheDirectory { get; }

    /// <summary>How long to wait for the server's answer, and for each read of its data, before giving up on an address.</summary>
    public TimeSpan NetworkTimeout
    {
        get => _downloader.NetworkTimeout;
        init => _downloader.NetworkTimeout = value;
    }

    /// <summary>How long to wait while another process downloads the same weights into this cache.</summary>
    public TimeSpan LockTimeout
    {
        get => _downloader.LockTimeout;
        init => _downloader.LockTimeout = value;
    }

    /// <summary>The file a source is (or will be) at: its <see cref="WeightSource.LocalPath"/> or its name in the cache.</summary>
    public string PathFor(WeightSource source) => source.LocalPath ?? Path.Combine(CacheDirectory, source.FileName);

    /// <summary>
    /// The verified file for <paramref name="source"/> if one is present. A cached file whose hash does not match is
    /// deleted (with a notice) and not served; a <c>.part</c> file is never served.
    /// </summary>
    /// <exception cref="CacheUnusableException">The cache path cannot be used (e.g. a folder where the file goes).</exception>
    public bool TryGetCached(WeightSource source, [NotNullWhen(true)] out string? path)
    {
        path = PathFor(source);
        if (source.LocalPath is not null || source.Hash is null)
        {
            // A user's own file: nothing to verify against.
            if (File.Exists(path)) return true;
            path = null;
            return false;
        }
        RemoveLegacyMarker(path);
        if (_downloader.TryGetVerified(Request(source), out _)) return true;
        path = null;
        return false;
    }

    // Earlier versions trusted a NAME.verified marker instead of hashing; it is no longer read, so it goes.
    private static void RemoveLegacyMarker(string path)
    {
        try
        {
            File.Delete(path + ".verified");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Harmless where it cannot be removed: nothing reads it.
        }
    }

    /// <summary>Synchronous <see cref="FetchAsync"/> for scripts and notebook cells.</summary>
    public string Fetch(WeightSource source, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAsync(source, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// The path of a verified copy of <paramref name="source"/>, downloading it first if needed (resuming an interrupted
    /// download when the server allows, restarting it otherwise, trying the source's mirrors in order).
    /// </summary>
    /// <exception cref="WeightsUnavailableException">Not cached and not downloadable; the message says where to put the file.</exception>
    /// <exception cref="HashMismatchException">The download's hash is wrong; the file was deleted.</exception>
    /// <exception cref="DownloadInterruptedException">The transfer broke off; the next call resumes it.</exception>
    /// <exception cref="CacheUnusableException">The cache path cannot be used.</exception>
    /// <exception cref="CacheLockTimeoutException">Another process kept downloading the same file for longer than <see cref="LockTimeout"/>.</exception>
    public async Task<string> FetchAsync(WeightSource source, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        (await ObtainAsync(source, progress, cancellationToken).ConfigureAwait(false)).Path;

    /// <summary>Synchronous <see cref="ObtainAsync"/>.</summary>
    public (string Path, FetchOutcome Outcome) Obtain(WeightSource source, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ObtainAsync(source, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Like <see cref="FetchAsync"/>, and says what it took: a verified copy was there, the file was downloaded, or a
    /// damaged copy was replaced. A user's own file (a <see cref="WeightSource.LocalPath"/>, or a source without a hash)
    /// that is present counts as verified: there is nothing to verify it against.
    /// </summary>
    /// <exception cref="WeightsUnavailableException">Not cached and not downloadable; the message says where to put the file.</exception>
    /// <exception cref="HashMismatchException">The download's hash is wrong; the file was deleted.</exception>
    /// <exception cref="DownloadInterruptedException">The transfer broke off; the next call resumes it.</exception>
    /// <exception cref="CacheUnusableException">The cache path cannot be used.</exception>
    /// <exception cref="CacheLockTimeoutException">Another process kept downloading the same file for longer than <see cref="LockTimeout"/>.</exception>
    public async Task<(string Path, FetchOutcome Outcome)> ObtainAsync(WeightSource source, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        string path = PathFor(source);
        if (source.LocalPath is not null)
            return File.Exists(path) ? (path, FetchOutcome.Verified) : throw new WeightsUnavailableException($"Weight file '{path}' does not exist.");
        if (source.Hash is null)
            return File.Exists(path) ? (path, FetchOutcome.Verified)
                : throw new WeightsUnavailableException($"{source.Name} has no hash to verify a download against; put the file at {path}.");
        if (source.Addresses.Count == 0)
            return TryGetCached(source, out var cached) ? (cached, FetchOutcome.Verified)
                : throw new WeightsUnavailableException($"{source.Name} has no download address; put the file at {path}.");
        RemoveLegacyMarker(path);
        try
        {
            var result = await _downloader.FetchAsync(Request(source), progress, cancellationToken).ConfigureAwait(false);
            return (result.Path, result.Outcome);
        }
        catch (DownloadUnavailableException e)
        {
            throw new WeightsUnavailableException(
                $"{e.Message.TrimEnd('.')}. Without network, download that file on another machine and put it at {path} " +
                $"(exactly this name; set {CacheLocation.EnvironmentVariable} to use another folder), or give the file's own path instead.", e);
        }
    }

    /// <summary>A source's declared size is its download's limit too: a larger file is refused and not kept.</summary>
    private DownloadRequest Request(WeightSource source) =>
        new(source.Name, PathFor(source), source.Addresses) { Hash = source.Hash, ExpectedSize = source.ExpectedSize, MaxBytes = source.ExpectedSize };

    /// <inheritdoc />
    public void Dispose() => _downloader.Dispose();
}
