using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;

namespace NotebookStyle.Storage;

/// <summary>
/// The one download path of NotebookStyle (weights and catalogue images): a file is streamed into <c>NAME.part</c>,
/// hash-verified, checked, then renamed atomically to <c>NAME</c>, all while holding <c>NAME.lock</c>
/// (<see cref="CacheLock"/>), so concurrent processes end with one verified file. An interrupted transfer stays as
/// <c>.part</c> (never served) and is resumed with an HTTP range request; addresses are tried in order (mirrors); every
/// read has its own timeout. A file already there is hashed on every check — a marker beside it could be forged or
/// stale, and hashing is cheap (measured: 0.2 s for 80 MB with MD5, 0.1 s with SHA-256) — and a file whose hash does not
/// match is removed and downloaded again. Every failure is a named <see cref="NotebookStyleException"/>.
/// </summary>
public sealed class VerifiedDownloader : IDisposable
{
    /// <summary>Suffix of the file a download is streamed into.</summary>
    public const string PartSuffix = ".part";

    /// <summary>Suffix of the lock file held while an entry is checked or written.</summary>
    public const string LockSuffix = ".lock";

    /// <summary>Suffix of the SHA-256 recorded at first download when the request carries no hash.</summary>
    public const string RecordedHashSuffix = ".sha256";

    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(200);
    private readonly HttpClient _http;
    private readonly Action<string>? _notice;

    /// <summary>
    /// Creates a downloader. <paramref name="handler"/> replaces the network stack (tests); <paramref name="userAgent"/>
    /// identifies the client (some servers, Wikimedia's among them, ask for it); <paramref name="notice"/> receives
    /// one-line messages about what the downloader did on its own (a damaged file removed, a wait for another process).
    /// </summary>
    public VerifiedDownloader(HttpMessageHandler? handler = null, string userAgent = "NotebookStyle/1.0", Action<string>? notice = null)
    {
        // Timeouts are applied per step (the answer, then each read), never to a whole 500 MB transfer.
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        _notice = notice;
    }

    /// <summary>How long to wait for a server's answer, and for each read of its data, before giving up on that address.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait while another process holds the entry's lock (it is downloading the same file).</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Whether a verified copy is at <see cref="DownloadRequest.TargetPath"/> (no network is used). A copy whose hash does
    /// not match is removed, with a notice.
    /// </summary>
    /// <exception cref="CacheUnusableException">A folder sits where the file goes, or the file cannot be read.</exception>
    public bool TryGetVerified(DownloadRequest request, [NotNullWhen(true)] out string? digest)
    {
        ArgumentNullException.ThrowIfNull(request);
        digest = null;
        switch (Inspect(request, out string? actual))
        {
            case CacheState.Verified:
                digest = actual!;
                return true;
            case CacheState.Mismatch:
                using (var held = CacheLock.AcquireAsync(request.TargetPath + LockSuffix, LockTimeout, () => Waiting(request)).GetAwaiter().GetResult())
                {
                    // Checked again under the lock: another process may have just replaced the damaged file with a good one.
                    if (Inspect(request, out actual) == CacheState.Verified)
                    {
                        digest = actual!;
                        return true;
                    }
                    RemoveDamaged(request, actual);
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>Synchronous <see cref="FetchAsync"/> for scripts and notebook cells.</summary>
    public DownloadResult Fetch(DownloadRequest request, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAsync(request, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// A verified copy of <paramref name="request"/>'s file, downloading it first if needed: resumed from a <c>.part</c>
    /// left by an interrupted transfer when the server allows, from the next address when one fails.
    /// </summary>
    /// <exception cref="DownloadUnavailableException">No address answered with the file; nothing was left behind.</exception>
    /// <exception cref="HashMismatchException">The downloaded file's hash is wrong (at every address tried); it was removed.</exception>
    /// <exception cref="DownloadRejectedException">Too large, or refused by <see cref="DownloadRequest.Check"/>; not kept.</exception>
    /// <exception cref="DownloadInterruptedException">The transfer broke off; what arrived is kept as <c>.part</c> for the next call.</exception>
    /// <exception cref="CacheUnusableException">The cache path cannot be used (a file where its folder should be, a folder where a file goes, no write permission).</exception>
    /// <exception cref="CacheLockTimeoutException">Another process kept the entry locked for longer than <see cref="LockTimeout"/>.</exception>
    public async Task<DownloadResult> FetchAsync(DownloadRequest request, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Inspect(request, out string? digest) == CacheState.Verified) return new(request.TargetPath, digest!, FetchOutcome.Verified, null);

        string folder = Path.GetDirectoryName(Path.GetFullPath(request.TargetPath))!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CacheLock.Unusable(folder, e, isFolder: true);
        }

        using var held = await CacheLock.AcquireAsync(request.TargetPath + LockSuffix, LockTimeout, () => Waiting(request), cancellationToken)
            .ConfigureAwait(false);
        // Another process may have finished the same download while this one waited for the lock.
        var outcome = FetchOutcome.Downloaded;
        switch (Inspect(request, out digest))
        {
            case CacheState.Verified:
                return new(request.TargetPath, digest!, FetchOutcome.Verified, null);
            case CacheState.Mismatch:
                RemoveDamaged(request, digest);
                outcome = FetchOutcome.Replaced;
                break;
        }
        if (request.Hash is null) Delete(request.TargetPath + RecordedHashSuffix); // a record without its file is stale
        if (request.Addresses.Count == 0)
            throw new DownloadUnavailableException($"{request.Name} has no download address: put the file at {request.TargetPath}.");

        var failures = new List<string>();
        DownloadUnavailableException? unavailable = null;
        DownloadInterruptedException? interrupted = null;
        NotebookStyleException? refused = null;
        foreach (var address in request.Addresses)
        {
            try
            {
                string actual = await DownloadFromAsync(request, address, progress, cancellationToken).ConfigureAwait(false);
                return new(request.TargetPath, actual, outcome, address);
            }
            catch (DownloadUnavailableException e)
            {
                unavailable ??= e;
                failures.Add(e.Message);
            }
            catch (DownloadInterruptedException e)
            {
                interrupted = e;
                failures.Add(e.Message);
            }
            catch (Exception e) when (e is HashMismatchException or DownloadRejectedException)
            {
                refused ??= (NotebookStyleException)e;
                failures.Add(e.Message);
            }
        }
        // The most telling failure wins: a wrong file over a broken transfer over no answer at all.
        if (refused is not null) throw refused;
        if (interrupted is not null) throw interrupted;
        throw failures.Count == 1 ? unavailable!
            : new DownloadUnavailableException($"Could not download {request.Name} from any of its {failures.Count} addresses: {string.Join(" ", failures)}", unavailable!);
    }

    private enum CacheState { Absent, Verified, Mismatch }

    private enum Transfer { Complete, RangeRefused }

    // Whether the target is there and matches its expected (or recorded) hash; digest is the file's actual digest.
    private CacheState Inspect(DownloadRequest request, out string? digest)
    {
        digest = null;
        string target = request.TargetPath;
        if (Directory.Exists(target)) throw CacheLock.Unusable(target, new IOException($"{target} is a folder."));
        if (!File.Exists(target)) return CacheState.Absent;
        try
        {
            bool damagedRecord = false;
            var expected = request.Hash ?? ReadRecorded(target, out damagedRecord);
            digest = FileHash.Compute(expected?.Kind ?? HashKind.Sha256, target);
            if (request.Hash is null && damagedRecord) return CacheState.Mismatch; // cannot tell which is right: fetch again
            if (expected is null)
            {
                // A file that arrived before its hash was recorded (an older version, a copy by hand): record it now.
                File.WriteAllText(target + RecordedHashSuffix, digest + "\n");
                return CacheState.Verified;
            }
            return expected.Matches(digest) ? CacheState.Verified : CacheState.Mismatch;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CacheLock.Unusable(target, e);
        }
    }

    // The SHA-256 recorded at the first download, or null; a record that is not a SHA-256 digest is reported as damaged.
    private static FileHash? ReadRecorded(string target, out bool damaged)
    {
        damaged = false;
        string path = target + RecordedHashSuffix;
        if (!File.Exists(path)) return null;
        string text = File.ReadAllText(path).Trim();
        if (text.Length == 64 && text.All(Uri.IsHexDigit)) return FileHash.Sha256(text);
        damaged = true;
        return null;
    }

    private void RemoveDamaged(DownloadRequest request, string? actual)
    {
        var expected = request.Hash ?? ReadRecorded(request.TargetPath, out _);
        Delete(request.TargetPath);
        Delete(request.TargetPath + RecordedHashSuffix);
        string was = expected is null ? "its recorded hash is damaged"
            : $"its {Describe(expected.Kind)} is {actual}, expected {expected}{(request.Hash is null ? " (recorded at its first download)" : "")}";
        _notice?.Invoke($"Removed {request.TargetPath}: {was}. It will be downloaded again.");
    }

    private static string Describe(HashKind kind) => kind == HashKind.Md5 ? "MD5" : "SHA-256";

    private void Waiting(DownloadRequest request) =>
        _notice?.Invoke($"Waiting for another process that is downloading {request.Name} into {request.TargetPath}.");

    // One address: transfer (resuming when possible), verify, check, rename. Returns the file's digest.
    private async Task<string> DownloadFromAsync(DownloadRequest request, Uri address, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string part = request.TargetPath + PartSuffix;
        for (int attempt = 0; ; attempt++)
        {
            var (outcome, resumed) = await TransferAsync(request, address, part, progress, cancellationToken).ConfigureAwait(false);
            if (outcome == Transfer.RangeRefused && attempt == 0) continue; // the stale .part was removed: once more from zero

            string actual;
            try
            {
                actual = FileHash.Compute(request.Hash?.Kind ?? HashKind.Sha256, part, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CacheLock.Unusable(part, e);
            }
            if (request.Hash is { } expected && !expected.Matches(actual))
            {
                Delete(part);
                if (resumed && attempt == 0)
                {
                    // The kept part may belong to an older version of the file: start afresh once before calling it wrong.
                    _notice?.Invoke($"The resumed download of {request.Name} did not verify; downloading it again from the start.");
                    continue;
                }
                throw new HashMismatchException(request.TargetPath, expected, actual,
                    $"The download of {request.Name} from {address} has {Describe(expected.Kind)} {actual}, expected {expected}; " +
                    "the file was removed and nothing was cached. Run again to retry; if it persists the server's file has changed.");
            }
            if (request.Check?.Invoke(part) is { } why)
            {
                Delete(part);
                throw new DownloadRejectedException($"The download of {request.Name} from {address} was refused: {why}. Nothing was kept.");
            }
            try
            {
                if (request.Hash is null) File.WriteAllText(request.TargetPath + RecordedHashSuffix, actual + "\n");
                File.Move(part, request.TargetPath, overwrite: true); // same folder: an atomic rename
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CacheLock.Unusable(request.TargetPath, e);
            }
            return actual;
        }
    }

    private async Task<(Transfer Outcome, bool Resumed)> TransferAsync(DownloadRequest request, Uri address, string part,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (Directory.Exists(part)) throw CacheLock.Unusable(part, new IOException($"{part} is a folder."));
        long existing = File.Exists(part) ? new FileInfo(part).Length : 0;
        var clock = Stopwatch.StartNew();
        using var httpRequest = new HttpRequestMessage(HttpMethod.Get, address);
        if (existing > 0) httpRequest.Headers.Range = new RangeHeaderValue(existing, null);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(NetworkTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(httpRequest, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unavailable(request, address, e is OperationCanceledException ? $"no answer within {NetworkTimeout.TotalSeconds:F0} s" : e.Message, e);
        }

        using (response)
        {
            if (existing > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                Delete(part); // complete but never renamed, or from another file: start afresh
                return (Transfer.RangeRefused, false);
            }
            if (!response.IsSuccessStatusCode)
                throw Unavailable(request, address, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}", null);

            bool resumed = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent &&
                           response.Content.Headers.ContentRange?.From == existing;
            if (!resumed)
            {
                if (response.StatusCode == HttpStatusCode.PartialContent)
                    throw Unavailable(request, address, "the server sent a part of the file that was not asked for", null);
                existing = 0; // the server ignored the range (200): restart from the beginning
            }
            long? total = response.Content.Headers.ContentLength is { } length ? existing + length : request.ExpectedSize;
            if (request.MaxBytes is { } max && total > max)
            {
                Delete(part);
                throw new DownloadRejectedException($"{address} is {total:N0} bytes, over the limit of {max:N0} for {request.Name}. Nothing was kept.");
            }

            // The .part is opened only now that data is coming: an offline attempt leaves nothing behind.
            FileStream file;
            try
            {
                file = new FileStream(part, resumed ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CacheLock.Unusable(part, e);
            }

            long received = existing;
            try
            {
                await using (file.ConfigureAwait(false))
                {
                    file.SetLength(existing);
                    file.Seek(existing, SeekOrigin.Begin);
                    progress?.Report(new(request.Name, received, total, clock.Elapsed));
                    var lastReport = clock.Elapsed;
                    var buffer = new byte[1 << 20];
                    try
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                        while (true)
                        {
                            timeout.CancelAfter(NetworkTimeout); // an inactivity timeout: restarted for every read
                            int read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                            if (read == 0) break;
                            if (request.MaxBytes is { } limit && received + read > limit)
                                throw new DownloadRejectedException($"{address} is larger than the limit of {limit:N0} bytes for {request.Name}. Nothing was kept.");
                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                            received += read;
                            if (progress is not null && clock.Elapsed - lastReport >= ReportEvery)
                            {
                                lastReport = clock.Elapsed;
                                progress.Report(new(request.Name, received, total, clock.Elapsed));
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException || e is IOException ||
                                              (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                        throw Interrupted(request, address, part, received, total, e);
                    }
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (DownloadRejectedException)
            {
                Delete(part);
                throw;
            }
            finally
            {
                if (File.Exists(part) && new FileInfo(part).Length == 0) Delete(part); // never leave an empty .part
            }
            progress?.Report(new(request.Name, received, total, clock.Elapsed));
            if (response.Content.Headers.ContentLength is not null && received < total)
                throw Interrupted(request, address, part, received, total, new EndOfStreamException("the server closed the connection early"));
            return (Transfer.Complete, resumed);
        }
    }

    private static DownloadUnavailableException Unavailable(DownloadRequest request, Uri address, string reason, Exception? inner) =>
        new($"Could not download {request.Name} from {address}: {reason}.", inner);

    private static DownloadInterruptedException Interrupted(DownloadRequest request, Uri address, string part, long received, long? total, Exception inner) =>
        new($"The download of {request.Name} from {address} was interrupted after {received:N0}" + (total is { } t ? $" of {t:N0}" : "") +
            $" bytes ({inner.Message}). The partial file {part} is kept (never used); run again to resume.", inner);

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CacheLock.Unusable(path, e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
