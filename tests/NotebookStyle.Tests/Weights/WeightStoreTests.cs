using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using NotebookStyle.Imaging;
using NotebookStyle.Storage;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests.Weights;

/// <summary>The download cache against a fake network: verify, cache, resume, refuse bad files, explain offline.</summary>
public sealed class WeightStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ns-store-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _payload = RandomBytes(300_000, 5);
    private readonly List<string> _notices = [];

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private WeightSource Source(FileHash hash) => new("test-weights", "test.h5", new Uri("https://example.invalid/test.h5"),
        _payload.Length, hash, WeightFormat.KerasHdf5, Preprocessing.Caffe, "test");

    private WeightSource Md5Source => Source(FileHash.Md5(Convert.ToHexStringLower(MD5.HashData(_payload))));

    private WeightStore Store(FakeHandler handler) => new(_dir, handler, _notices.Add) { NetworkTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task TheStoreSaysWhatItDidAsATypedOutcome()
    {
        var handler = new FakeHandler(_ => Full(_payload));
        using var store = Store(handler);
        var source = Md5Source;
        Assert.Equal((Path.Combine(_dir, "test.h5"), FetchOutcome.Downloaded), await store.ObtainAsync(source));
        Assert.Equal(FetchOutcome.Verified, store.Obtain(source).Outcome);
        Assert.Single(handler.Requests);

        // A damaged copy (same size, one byte off) is replaced, and the notice for people still says so.
        var bytes = File.ReadAllBytes(Path.Combine(_dir, "test.h5"));
        bytes[10] ^= 0xff;
        File.WriteAllBytes(Path.Combine(_dir, "test.h5"), bytes);
        Assert.Equal(FetchOutcome.Replaced, (await store.ObtainAsync(source)).Outcome);
        Assert.Contains(_notices, n => n.StartsWith("Removed", StringComparison.Ordinal));
        Assert.Equal(_payload, File.ReadAllBytes(Path.Combine(_dir, "test.h5")));

        // A user's own file (no hash to check it against) that is there is taken as it is.
        var own = new WeightSource("own", "own.h5", null, null, null, WeightFormat.KerasHdf5, Preprocessing.Caffe, "test");
        File.WriteAllBytes(Path.Combine(_dir, "own.h5"), _payload);
        Assert.Equal((Path.Combine(_dir, "own.h5"), FetchOutcome.Verified), store.Obtain(own));
        File.Delete(Path.Combine(_dir, "own.h5"));
        Assert.Throws<WeightsUnavailableException>(() => store.Obtain(own));
    }

    [Fact]
    public async Task DownloadsVerifiesCachesAndServesFromCache()
    {
        var handler = new FakeHandler(_ => Full(_payload));
        using var store = Store(handler);
        var source = Md5Source;
        Assert.False(store.TryGetCached(source, out _));
        var reports = new List<DownloadProgress>();
        string path = await store.FetchAsync(source, new SyncProgress(reports.Add));
        Assert.Equal(Path.Combine(_dir, "test.h5"), path);
        Assert.Equal(_payload, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".part"));
        Assert.False(File.Exists(path + ".verified")); // no marker: a cached file is hashed on every check
        Assert.Equal(_payload.Length, reports[^1].BytesReceived);
        Assert.Equal(1.0, reports[^1].Fraction);

        Assert.True(store.TryGetCached(source, out var cached));
        Assert.Equal(path, cached);
        Assert.Equal(path, await store.FetchAsync(source));
        Assert.Single(handler.Requests); // the second fetch was a cache hit
    }

    [Fact]
    public async Task ADeclaredSizeIsALimitNotJustProgress()
    {
        // A sources entry saying "size": 1000 must not accept a 300 kB download (issue 27: an 80 MB one was accepted).
        using var store = Store(new FakeHandler(_ => Full(_payload)));
        var small = Md5Source with { ExpectedSize = 1000 };
        var ex = await Assert.ThrowsAnyAsync<NotebookStyleException>(() => store.FetchAsync(small));
        Assert.Contains("over the limit of 1,000", ex.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "test.h5")));
        Assert.False(File.Exists(Path.Combine(_dir, "test.h5.part")));
    }

    [Fact]
    public async Task Sha256PrefixAsInTorchHubNamesIsVerified()
    {
        string prefix = Convert.ToHexStringLower(SHA256.HashData(_payload))[..8];
        using var store = Store(new FakeHandler(_ => Full(_payload)));
        string path = await store.FetchAsync(Source(FileHash.Sha256(prefix)));
        Assert.Equal(_payload, File.ReadAllBytes(path));
        var wrong = Source(FileHash.Sha256(prefix == "00000000" ? "11111111" : "00000000"));
        Assert.False(store.TryGetCached(wrong, out _)); // the same file under a wrong prefix is refused and removed
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task HashMismatchRemovesTheFileAndSaysSo()
    {
        var corrupt = (byte[])_payload.Clone();
        corrupt[1234] ^= 0xff;
        using var store = Store(new FakeHandler(_ => Full(corrupt)));
        var source = Md5Source;
        var e = await Assert.ThrowsAsync<HashMismatchException>(() => store.FetchAsync(source));
        Assert.Contains("removed", e.Message);
        Assert.Contains(source.Hash!.Hex, e.Message);
        Assert.Equal([Path.Combine(_dir, "test.h5.lock")], Directory.GetFiles(_dir)); // only the (released) lock file stays
        Assert.False(store.TryGetCached(source, out _));
    }

    [Fact]
    public async Task InterruptedDownloadIsNeverServedAndResumes()
    {
        var source = Md5Source;
        using (var broken = Store(new FakeHandler(_ => Full(_payload, breakAfter: 100_000))))
        {
            var e = await Assert.ThrowsAsync<DownloadInterruptedException>(() => broken.FetchAsync(source));
            Assert.Contains("run again to resume", e.Message);
            Assert.False(broken.TryGetCached(source, out _));
            Assert.False(File.Exists(Path.Combine(_dir, "test.h5")));
            Assert.True(new FileInfo(Path.Combine(_dir, "test.h5.part")).Length >= 100_000);
        }

        // A server that honours ranges: only the rest is requested.
        var handler = new FakeHandler(request =>
        {
            var range = request.Headers.Range?.Ranges.Single();
            if (range?.From is not long from) return Full(_payload);
            var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(_payload[(int)from..]) };
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, _payload.Length - 1, _payload.Length);
            return response;
        });
        using var store = Store(handler);
        string path = await store.FetchAsync(source);
        Assert.Equal(_payload, File.ReadAllBytes(path));
        Assert.True(handler.Requests[0].Headers.Range?.Ranges.Single().From >= 100_000);
        Assert.False(File.Exists(path + ".part"));
    }

    [Fact]
    public async Task ServerIgnoringTheRangeRestartsCleanly()
    {
        var source = Md5Source;
        Directory.CreateDirectory(_dir);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "test.h5.part"), RandomBytes(50_000, 9)); // a stale partial file
        var handler = new FakeHandler(_ => Full(_payload)); // always 200 with the whole file
        using var store = Store(handler);
        string path = await store.FetchAsync(source);
        Assert.Equal(_payload, File.ReadAllBytes(path));
        Assert.NotNull(handler.Requests[0].Headers.Range);
    }

    [Fact]
    public async Task OfflineSaysWhereToPutTheFile()
    {
        using var store = Store(new FakeHandler(_ => throw new HttpRequestException("Name or service not known")));
        var source = Md5Source;
        var e = await Assert.ThrowsAsync<WeightsUnavailableException>(() => store.FetchAsync(source));
        Assert.Contains(Path.Combine(_dir, "test.h5"), e.Message);
        Assert.Contains("https://example.invalid/test.h5", e.Message);
        Assert.Contains(CacheLocation.EnvironmentVariable, e.Message);

        // Putting the file there, as the message says, works offline.
        await File.WriteAllBytesAsync(Path.Combine(_dir, "test.h5"), _payload);
        Assert.Equal(Path.Combine(_dir, "test.h5"), await store.FetchAsync(source));
    }

    [Fact]
    public async Task RefusedConnectionThroughTheRealHttpStackIsUnavailable()
    {
        // No fake handler: a real socket to a local port nobody listens on (no network needed, no waiting).
        using var store = new WeightStore(_dir) { NetworkTimeout = TimeSpan.FromSeconds(10) };
        var source = Md5Source with { Url = new Uri("http://127.0.0.1:9/vgg19.h5") };
        var e = await Assert.ThrowsAsync<WeightsUnavailableException>(() => store.FetchAsync(source));
        Assert.Contains(Path.Combine(_dir, "test.h5"), e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "test.h5")));
    }

    [Fact]
    public async Task ServerErrorIsUnavailableNotACorruptFile()
    {
        using var store = Store(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)));
        var e = await Assert.ThrowsAsync<WeightsUnavailableException>(() => store.FetchAsync(Md5Source));
        Assert.Contains("404", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "test.h5")));
    }

    [Fact]
    public async Task TamperedCachedFileIsCaughtAndRemoved()
    {
        using var store = Store(new FakeHandler(_ => Full(_payload)));
        var source = Md5Source;
        string path = await store.FetchAsync(source);

        // Same size, other bytes: the modification time no longer matches the marker, so the file is hashed again.
        var bytes = File.ReadAllBytes(path);
        bytes[10] ^= 1;
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.False(store.TryGetCached(source, out _));
        Assert.False(File.Exists(path));
        Assert.Contains(_notices, n => n.Contains("Removed") && n.Contains(path));

        // A cut-off copy (different size) is caught even with the marker's time restored.
        path = await store.FetchAsync(source);
        var time = File.GetLastWriteTimeUtc(path);
        File.WriteAllBytes(path, _payload[..1000]);
        File.SetLastWriteTimeUtc(path, time);
        Assert.False(store.TryGetCached(source, out _));
    }

    [Fact]
    public void CacheDirectoryHonoursTheOverrideThenXdgThenHome()
    {
        Assert.Equal(Path.GetFullPath("/data/w"), CacheLocation.Resolve(n => n == CacheLocation.EnvironmentVariable ? "/data/w" : "/x"));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("/xdg/notebookstyle", CacheLocation.Resolve(n => n == "XDG_CACHE_HOME" ? "/xdg" : null));
            Assert.Equal("/home/u/.cache/notebookstyle", CacheLocation.Resolve(n => n == "HOME" ? "/home/u" : null));
        }
    }

    [Fact]
    public void KnownSourcesCarryTheirPreprocessingAndHashes()
    {
        Assert.Same(WeightSource.KerasVgg19, WeightSource.Default);
        Assert.Same(Preprocessing.Caffe, WeightSource.KerasVgg19.Preprocessing);
        Assert.Equal(HashKind.Md5, WeightSource.KerasVgg19.Hash!.Kind);
        Assert.Same(Preprocessing.Torchvision, WeightSource.TorchvisionVgg19.Preprocessing);
        Assert.True(WeightSource.TorchvisionVgg19.Hash!.IsPrefix);
        Assert.Equal("dcbb9e9d", WeightSource.TorchvisionVgg19.Hash.Hex);
        Assert.Same(Preprocessing.Caffe, WeightSource.CaffeVgg19Pth.Preprocessing);
        Assert.Same(WeightSource.TorchvisionVgg19, WeightSource.FindKnown("VGG19-DCBB9E9D.pth"));
        Assert.Throws<ArgumentException>(() => FileHash.Md5("1234"));
        Assert.Throws<ArgumentException>(() => FileHash.Sha256("xyz12345"));
    }

    [Fact]
    public void LocalFilesInferPreprocessingOnlyWhenUnambiguous()
    {
        Directory.CreateDirectory(_dir);
        string pth = Path.Combine(_dir, "mine.pth");
        File.WriteAllBytes(pth, [(byte)'P', (byte)'K', 3, 4, 0, 0]);
        Assert.Throws<PreprocessingRequiredException>(() => WeightSource.FromFile(pth));
        Assert.Same(Preprocessing.Torchvision, WeightSource.FromFile(pth, Preprocessing.Torchvision).Preprocessing);
        string known = Path.Combine(_dir, "vgg19-d01eb7cb.pth");
        File.Copy(pth, known);
        var source = WeightSource.FromFile(known);
        Assert.Same(Preprocessing.Caffe, source.Preprocessing);
        Assert.Equal(known, source.LocalPath);
        Assert.Throws<WeightsUnavailableException>(() => WeightSource.FromFile(Path.Combine(_dir, "absent.h5")));
        string text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "hello");
        Assert.Throws<WeightsFormatException>(() => WeightSource.FromFile(text));
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static HttpResponseMessage Full(byte[] payload, int? breakAfter = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new BreakingStream(payload, breakAfter ?? int.MaxValue)),
        };
        response.Content.Headers.ContentLength = payload.Length;
        return response;
    }

    private sealed class FakeHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(respond(request));
        }
    }

    /// <summary>Serves its bytes, then fails like a dropped connection after <c>breakAfter</c> bytes.</summary>
    private sealed class BreakingStream(byte[] data, int breakAfter) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= breakAfter) throw new IOException("Connection reset by peer");
            return base.Read(buffer, offset, (int)Math.Min(count, breakAfter - Position));
        }

        public override int Read(Span<byte> buffer)
        {
            if (Position >= breakAfter) throw new IOException("Connection reset by peer");
            return base.Read(buffer[..(int)Math.Min(buffer.Length, breakAfter - Position)]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
