using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace NotebookStyle.Weights;

/// <summary>
/// The per-user cache of downloaded weights. <see cref="FetchAsync"/> downloads a source once: streamed into
/// <c>NAME.part</c>, hash-verified, then renamed atomically to <c>NAME</c>; a mismatched file is deleted and reported,
/// an interrupted one stays as <c>.part</c> (never served) and is resumed with an HTTP range request next time.
/// A verified file gets a <c>NAME.verified</c> marker (digest, size, modification time) so that a 500 MB file is not
/// re-hashed on every run; a file whose size or modification time no longer matches its marker is hashed again.
/// </summary>
public sealed class WeightStore : IDisposable
{
    /// <summary>Environment variable that overrides the cache directory.</summary>
    public const string CacheEnvironmentVariable = "NOTEBOOKSTYLE_CACHE";

    private const string PartSuffix = ".part";
    private const string MarkerSuffix = ".verified";
    private readonly HttpClient _http;
    private readonly Action<string>? _notice;

    /// <summary>
    /// Creates a store. <paramref name="cacheDirectory"/> defaults to <see cref="DefaultCacheDirectory"/>;
    /// <paramref name="handler"/> replaces the network (tests); <paramref name="notice"/> receives one-line messages
    /// about what the store did on its own (e.g. removing a corrupt cached file).
    /// </summary>
    public WeightStore(string? cacheDirectory = null, HttpMessageHandler? handler = null, Action<string>? notice = null)
    {
        CacheDirectory = Path.GetFullPath(cacheDirectory ?? DefaultCacheDirectory());
        // Timeouts are applied per step below (headers, then each read), not to the whole 500 MB transfer.
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("NotebookStyle/1.0");
        _notice = notice;
    }

    /// <summary>Where downloaded weights live.</summary>
    public string CacheDirectory { get; }

    /// <summary>How long to wait for the server's answer, and for each chunk of data, before giving up.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>$NOTEBOOKSTYLE_CACHE</c> if set; else <c>$XDG_CACHE_HOME/notebookstyle</c>; else the platform's per-user cache:
    /// <c>~/.cache/notebookstyle</c> (Linux), <c>~/Library/Caches/notebookstyle</c> (macOS),
    /// <c>%LOCALAPPDATA%\notebookstyle\cache</c> (Windows).
    /// </summary>
    public static string DefaultCacheDirectory() => ResolveCacheDirectory(Environment.GetEnvironmentVariable);

    /// <summary><see cref="DefaultCacheDirectory"/> with the environment given as a lookup (testable).</summary>
    public static string ResolveCacheDirectory(Func<string, string?> environment)
    {
        if (environment(CacheEnvironmentVariable) is { Length: > 0 } overridden) return Path.GetFullPath(overridden);
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "notebookstyle");
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "notebookstyle", "cache");
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return OperatingSystem.IsMacOS()
            ? Path.Combine(home, "Library", "Caches", "notebookstyle")
            : Path.Combine(home, ".cache", "notebookstyle");
    }

    /// <summary>The file a source is (or will be) at: its <see cref="WeightSource.LocalPath"/> or its name in the cache.</summary>
    public string PathFor(WeightSource source) => source.LocalPath ?? Path.Combine(CacheDirectory, source.FileName);

    /// <summary>
    /// The verified file for <paramref name="source"/> if one is present. A cached file whose hash does not match is
    /// deleted (with a notice) and not served; a <c>.part</c> file is never served.
    /// </summary>
    public bool TryGetCached(WeightSource source, [NotNullWhen(true)] out string? path)
    {
        path = PathFor(source);
        if (!File.Exists(path))
        {
            path = null;
            return false;
        }
        if (source.LocalPath is not null || source.Hash is null) return true; // nothing to verify against
        if (MarkerIsCurrent(path, source.Hash)) return true;

        string actual = source.Hash.ComputeFile(path);
        if (source.Hash.Matches(actual))
        {
            WriteMarker(path, source.Hash, actual);
            return true;
        }
        Remove(path);
        _notice?.Invoke($"Removed {path}: its {source.Hash.Kind} is {actual}, expected {source.Hash}. It will be downloaded again.");
        path = null;
        return false;
    }

    /// <summary>Synchronous <see cref="FetchAsync"/> for scripts and notebook cells.</summary>
    public string Fetch(WeightSource source, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAsync(source, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// The path of a verified copy of <paramref name="source"/>, downloading it first if needed (resuming an interrupted
    /// download when the server allows, restarting it otherwise).
    /// </summary>
    /// <exception cref="WeightsUnavailableException">Not cached and not downloadable; the message says where to put the file.</exception>
    /// <exception cref="HashMismatchException">The download's hash is wrong; the file was deleted.</exception>
    /// <exception cref="DownloadInterruptedException">The transfer broke off; the next call resumes it.</exception>
    public async Task<string> FetchAsync(WeightSource source, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (TryGetCached(source, out var cached)) return cached;
        string path = PathFor(source);
        if (source.LocalPath is not null) throw new WeightsUnavailableException($"Weight file '{path}' does not exist.");
        if (source.Url is null) throw new WeightsUnavailableException($"{source.Name} has no download address; put the file at {path}.");
        Directory.CreateDirectory(CacheDirectory);

        for (int attempt = 0; ; attempt++)
        {
            var outcome = await DownloadToPartAsync(source, path + PartSuffix, progress, cancellationToken).ConfigureAwait(false);
            if (outcome == Outcome.RangeRefused && attempt == 0) continue; // stale .part removed: start once more from zero
            break;
        }

        string part = path + PartSuffix;
        string actual = source.Hash is null ? "" : source.Hash.ComputeFile(part, cancellationToken);
        if (source.Hash is not null && !source.Hash.Matches(actual))
        {
            Remove(part);
            throw new HashMismatchException(path, source.Hash, actual,
                $"The download of {source.Name} from {source.Url} has {source.Hash.Kind} {actual}, expected {source.Hash}; " +
                "the file was removed and nothing was cached. Run again to retry; if it persists the server's file has changed.");
        }
        File.Move(part, path, overwrite: true); // same directory: an atomic rename
        if (source.Hash is not null) WriteMarker(path, source.Hash, actual);
        return path;
    }

    private enum Outcome { Complete, RangeRefused }

    private async Task<Outcome> DownloadToPartAsync(WeightSource source, string part, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (IOException e)
        {
            throw new WeightsUnavailableException($"{part} is locked: another process is downloading {source.Name}. Wait for it to finish.", e);
        }

        await using var _ = file.ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        long existing = file.Length;
        using var request = new HttpRequestMessage(HttpMethod.Get, source.Url);
        if (existing > 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(existing, null);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(NetworkTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unavailable(source, e is OperationCanceledException ? $"no answer within {NetworkTimeout.TotalSeconds:F0} s" : e.Message, e);
        }

        using (response)
        {
            if (existing > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                file.SetLength(0); // the .part is stale (e.g. complete but never renamed): start afresh
                return Outcome.RangeRefused;
            }
            if (!response.IsSuccessStatusCode)
                throw Unavailable(source, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}", null);

            bool resumed = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent &&
                           response.Content.Headers.ContentRange?.From == existing;
            if (!resumed)
            {
                if (response.StatusCode == HttpStatusCode.PartialContent)
                    throw Unavailable(source, "the server sent a part of the file that was not asked for", null);
                existing = 0; // the server ignored the range (200): restart from the beginning
                file.SetLength(0);
            }
            file.Seek(existing, SeekOrigin.Begin);
            long? total = response.Content.Headers.ContentLength is { } length ? existing + length : source.ExpectedSize;
            long received = existing;
            var buffer = new byte[1 << 20];
            TimeSpan? lastReport = null;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                while (true)
                {
                    timeout.CancelAfter(NetworkTimeout); // an inactivity timeout: restarted for every chunk
                    int read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                    if (progress is not null && (lastReport is null || clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(200)))
                    {
                        lastReport = clock.Elapsed;
                        progress.Report(new(source.Name, received, total, clock.Elapsed));
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is HttpRequestException ||
                                      (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                throw Interrupted(source, part, received, total, e);
            }
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            progress?.Report(new(source.Name, received, total, clock.Elapsed));
            if (response.Content.Headers.ContentLength is not null && received < total)
                throw Interrupted(source, part, received, total, new EndOfStreamException("The server closed the connection early."));
            return Outcome.Complete;
        }
    }

    private WeightsUnavailableException Unavailable(WeightSource source, string reason, Exception? inner)
    {
        string message =
            $"Could not download {source.Name} from {source.Url}: {reason}. Without network, download that file on another " +
            $"machine and put it at {PathFor(source)} (exactly this name; set {CacheEnvironmentVariable} to use another folder), " +
            "or give the file's own path instead.";
        return inner is null ? new WeightsUnavailableException(message) : new WeightsUnavailableException(message, inner);
    }

    private static DownloadInterruptedException Interrupted(WeightSource source, string part, long received, long? total, Exception inner) =>
        new($"The download of {source.Name} was interrupted after {received:N0}" + (total is { } t ? $" of {t:N0}" : "") +
            $" bytes ({inner.Message}). The partial file {part} is kept (never used as weights); run again to resume.", inner);

    private static bool MarkerIsCurrent(string path, WeightHash expected)
    {
        string marker = path + MarkerSuffix;
        if (!File.Exists(marker)) return false;
        var lines = File.ReadAllLines(marker);
        var info = new FileInfo(path);
        return lines.Length >= 4 && lines[0] == expected.ToString() && expected.Matches(lines[1]) &&
               lines[2] == info.Length.ToString(CultureInfo.InvariantCulture) &&
               lines[3] == info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture);
    }

    private static void WriteMarker(string path, WeightHash expected, string actual)
    {
        var info = new FileInfo(path);
        File.WriteAllLines(path + MarkerSuffix,
        [
            expected.ToString(), actual, info.Length.ToString(CultureInfo.InvariantCulture),
            info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture),
        ]);
    }

    private static void Remove(string path)
    {
        File.Delete(path);
        File.Delete(path + MarkerSuffix);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
