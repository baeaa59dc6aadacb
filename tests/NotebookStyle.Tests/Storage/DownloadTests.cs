using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using NotebookStyle.Notebooks;
using NotebookStyle.Storage;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests.Storage;

/// <summary>
/// The one download path against a real HTTP server on 127.0.0.1: resume, hash mismatch, mirrors, custom sources,
/// a bad cache path, cache trust, and concurrent processes.
/// </summary>
public sealed class DownloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ns-download-").FullName;
    private readonly byte[] _payload = Bytes(300_000, 7);
    private readonly List<string> _notices = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Md5 => Convert.ToHexStringLower(MD5.HashData(_payload));

    private WeightSource Source(params Uri[] urls) =>
        WeightSourcesFile.Parse(SourcesJson(("test-weights", "test.h5", urls, Md5)), "test").Single();

    private WeightStore Store(string? cache = null) =>
        new(cache ?? Path.Combine(_dir, "cache"), notice: _notices.Add) { NetworkTimeout = TimeSpan.FromSeconds(10), LockTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task AnInterruptedTransferResumesWithARangeRequest()
    {
        using var server = new LoopbackServer((_, i) => i == 0 ? LoopbackReply.Ok(_payload) with { BreakAfter = 100_000 } : LoopbackReply.Ok(_payload));
        var source = Source(server.Url("w.h5"));
        using var store = Store();
        var e = await Assert.ThrowsAsync<DownloadInterruptedException>(() => store.FetchAsync(source));
        Assert.Contains("run again to resume", e.Message);
        string path = store.PathFor(source);
        Assert.False(File.Exists(path));
        long kept = new FileInfo(path + ".part").Length;
        Assert.InRange(kept, 1, 100_000);

        var reports = new List<DownloadProgress>();
        Assert.Equal(path, await store.FetchAsync(source, new Collect(reports)));
        Assert.Equal(_payload, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".part"));
        Assert.Equal(kept, server.Requests[1].RangeFrom); // only the rest was asked for
        Assert.Equal(kept, reports[0].BytesReceived);
        Assert.Equal(_payload.Length, reports[^1].BytesReceived);
    }

    [Fact]
    public async Task AHashMismatchDeletesTheFileAndNamesTheError()
    {
        var corrupt = (byte[])_payload.Clone();
        corrupt[4321] ^= 0x40;
        using var server = new LoopbackServer((_, _) => LoopbackReply.Ok(corrupt));
        var source = Source(server.Url("w.h5"));
        using var store = Store();
        var e = await Assert.ThrowsAsync<HashMismatchException>(() => store.FetchAsync(source));
        Assert.Equal(Md5, e.Expected.Hex);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(corrupt)), e.Actual);
        Assert.Contains("removed", e.Message);
        Assert.False(File.Exists(store.PathFor(source)));
        Assert.False(File.Exists(store.PathFor(source) + ".part"));
    }

    [Fact]
    public async Task MirrorsAreTriedInOrder()
    {
        var corrupt = (byte[])_payload.Clone();
        corrupt[0] ^= 1;
        using var server = new LoopbackServer((path, _) => path switch
        {
            "/gone.h5" => LoopbackReply.Error(404),
            "/wrong.h5" => LoopbackReply.Ok(corrupt),
            "/good.h5" => LoopbackReply.Ok(_payload),
            _ => null,
        });
        var refused = new Uri("http://127.0.0.1:9/nobody-listens.h5");
        var source = Source(refused, server.Url("gone.h5"), server.Url("wrong.h5"), server.Url("good.h5"));
        Assert.Equal(4, source.Addresses.Count);
        using var store = Store();
        string path = await store.FetchAsync(source);
        Assert.Equal(_payload, File.ReadAllBytes(path));
        Assert.Equal(["/gone.h5", "/wrong.h5", "/good.h5"], server.Requests.Select(r => r.Path));

        // When every address fails, the message names each one.
        var none = Source(refused, server.Url("gone.h5")) with { FileName = "other.h5" };
        var e = await Assert.ThrowsAsync<WeightsUnavailableException>(() => store.FetchAsync(none));
        Assert.Contains("127.0.0.1:9", e.Message);
        Assert.Contains("404", e.Message);
        Assert.Contains(CacheLocation.EnvironmentVariable, e.Message);
    }

    [Fact]
    public void CustomSourcesAreFoundByNameAndBadFilesAreNamedErrors()
    {
        string file = Path.Combine(_dir, "sources.json");
        File.WriteAllText(file, SourcesJson(("my-vgg", "mine.h5", [new Uri("http://127.0.0.1:1/a.h5"), new Uri("http://127.0.0.1:2/a.h5")], Md5)));
        string? Env(string name) => name == WeightSourcesFile.EnvironmentVariable ? file : null;
        var found = WeightSource.FindKnown("my-vgg", Env);
        Assert.NotNull(found);
        Assert.Equal("mine.h5", found.FileName);
        Assert.Equal(2, found.Addresses.Count);
        Assert.Equal(WeightFormat.KerasHdf5, found.Format);
        Assert.Same(NotebookStyle.Imaging.Preprocessing.Caffe, found.Preprocessing);
        Assert.Same(WeightSource.KerasVgg19, WeightSource.FindKnown("vgg19-keras", Env));
        Assert.Null(WeightSource.FindKnown("my-vgg", _ => null));
        Assert.Equal(2, WeightSource.CaffeVgg19Pth.Addresses.Count);

        foreach (string bad in new[]
                 {
                     "{ not json",
                     """{ "sources": [ { "name": "x", "file": "x.h5", "urls": ["http://h/x"] } ] }""", // no hash
                     """{ "sources": [ { "name": "vgg19-keras", "file": "x.h5", "urls": ["http://h/x"], "md5": "253f8cb515780f3b799900260a226db6" } ] }""",
                     """{ "sources": [ { "name": "x", "file": "../x.h5", "urls": ["http://h/x"], "md5": "253f8cb515780f3b799900260a226db6" } ] }""",
                     """{ "sources": [ { "name": "x", "file": "x.pth", "urls": ["http://h/x"], "sha256": "abcdef12" } ] }""", // no preprocessing
                     """{ "sources": [ { "name": "x", "file": "x.h5", "urls": ["ftp://h/x"], "md5": "253f8cb515780f3b799900260a226db6" } ] }""",
                     """{ "sources": [ { "name": "x", "file": "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "urls": ["http://h/x"], "md5": "00000000000000000000000000000000" } ] }""",
                     """{ "sources": [ { "name": "x", "file": "x.h5", "url": "http://h/x", "md5": "253f8cb515780f3b799900260a226db6" } ] }""", // typo'd field
                 })
        {
            File.WriteAllText(file, bad);
            var e = Assert.Throws<WeightSourcesException>(() => WeightSource.FindKnown("x", Env));
            Assert.Contains(file, e.Message);
        }
        Assert.Throws<WeightSourcesException>(() => WeightSource.FindKnown("x", n => n == WeightSourcesFile.EnvironmentVariable ? Path.Combine(_dir, "absent.json") : null));
    }

    [Fact]
    public async Task ACacheThatIsARegularFileIsANamedError()
    {
        string notAFolder = Path.Combine(_dir, "cache-file");
        File.WriteAllText(notAFolder, "I am a file");
        using var server = new LoopbackServer((_, _) => LoopbackReply.Ok(_payload));
        using var store = Store(notAFolder);
        var source = Source(server.Url("w.h5"));
        Assert.False(store.TryGetCached(source, out _));
        var e = await Assert.ThrowsAsync<CacheUnusableException>(() => store.FetchAsync(source));
        Assert.Contains(notAFolder, e.Message);
        Assert.Contains("regular file", e.Message);
        Assert.Equal("I am a file", File.ReadAllText(notAFolder)); // nothing lost
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task AFolderWhereThePartFileGoesIsANamedError()
    {
        using var server = new LoopbackServer((_, _) => LoopbackReply.Ok(_payload));
        using var store = Store();
        var source = Source(server.Url("w.h5"));
        string part = store.PathFor(source) + ".part";
        Directory.CreateDirectory(part);
        File.WriteAllText(Path.Combine(part, "keep.txt"), "mine");
        var e = await Assert.ThrowsAsync<CacheUnusableException>(() => store.FetchAsync(source));
        Assert.Equal(part, e.Path);
        Assert.Contains("folder", e.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(part, "keep.txt")));

        // The same for a folder where the file itself goes.
        Directory.Delete(part, recursive: true);
        Directory.CreateDirectory(store.PathFor(source));
        Assert.Throws<CacheUnusableException>(() => store.TryGetCached(source, out _));
    }

    [Fact]
    public async Task AForgedVerifiedMarkerNextToJunkIsNotTrusted()
    {
        using var server = new LoopbackServer((_, _) => LoopbackReply.Ok(_payload));
        var source = Source(server.Url("w.h5"));
        using var store = Store();
        string path = store.PathFor(source);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Bytes(_payload.Length, 99));
        var info = new FileInfo(path);
        // A marker as an earlier version wrote it: expected hash, "actual" hash, size and time of the junk file.
        File.WriteAllLines(path + ".verified", [source.Hash!.ToString(), Md5, info.Length.ToString(CultureInfo.InvariantCulture),
            info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)]);

        Assert.False(store.TryGetCached(source, out _));
        Assert.Contains(_notices, n => n.Contains("Removed") && n.Contains(path));
        Assert.False(File.Exists(path + ".verified"));
        Assert.Equal(path, await store.FetchAsync(source));
        Assert.Equal(_payload, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task AnOfflineAttemptLeavesNoPartFile()
    {
        using var store = Store();
        var source = Source(new Uri("http://127.0.0.1:9/w.h5"));
        await Assert.ThrowsAsync<WeightsUnavailableException>(() => store.FetchAsync(source));
        Assert.False(File.Exists(store.PathFor(source) + ".part"));
        Assert.False(File.Exists(store.PathFor(source)));
    }

    [Fact]
    public async Task AHeldLockIsWaitedForThenANamedTimeout()
    {
        using var server = new LoopbackServer((_, _) => LoopbackReply.Ok(_payload));
        var source = Source(server.Url("w.h5"));
        using var store = new WeightStore(Path.Combine(_dir, "cache"), notice: _notices.Add) { LockTimeout = TimeSpan.FromMilliseconds(400) };
        Directory.CreateDirectory(store.CacheDirectory);
        using (await CacheLock.AcquireAsync(store.PathFor(source) + ".lock", TimeSpan.FromSeconds(1)))
        {
            var e = await Assert.ThrowsAsync<CacheLockTimeoutException>(() => store.FetchAsync(source));
            Assert.EndsWith(".lock", e.LockPath);
            Assert.Contains(_notices, n => n.StartsWith("Waiting for another process", StringComparison.Ordinal));
            Assert.Empty(server.Requests);
        }
        Assert.Equal(_payload, File.ReadAllBytes(await store.FetchAsync(source))); // released: it goes ahead
    }

    [Fact]
    public void BothCacheFolderNamesAreOneResolver()
    {
        foreach (var environment in new Dictionary<string, string?>[]
                 {
                     new() { [NotebookEnvironment.Cache] = "/data/c" },
                     new() { ["XDG_CACHE_HOME"] = "/xdg" },
                     new() { ["HOME"] = "/home/someone" },
                     new(),
                 })
            Assert.Equal(CacheLocation.Resolve(n => environment.GetValueOrDefault(n)), NotebookEnvironment.CacheFolder(environment));
        Assert.Equal(CacheLocation.EnvironmentVariable, NotebookEnvironment.Cache);
    }

    [Fact]
    public void FetchWeightsWithACacheThatIsAFileExitsTwoWithOneLine()
    {
        string notAFolder = Path.Combine(_dir, "cache-file");
        File.WriteAllText(notAFolder, "x");
        string sources = Path.Combine(_dir, "sources.json");
        File.WriteAllText(sources, SourcesJson(("test-weights", "test.h5", [new Uri("http://127.0.0.1:9/w.h5")], Md5)));
        var (code, _, err) = CliProcess.Run(new Dictionary<string, string>
        {
            [CacheLocation.EnvironmentVariable] = notAFolder,
            [WeightSourcesFile.EnvironmentVariable] = sources,
        }, 60, "fetch-weights", "--source", "test-weights");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: The cache cannot be used", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task FourProcessesOneKilledMidTransferEndWithOneVerifiedFile()
    {
        var payload = Bytes(640 << 10, 11);
        // Slow enough to be caught half-way: 16 KB every 30 ms, about 1.2 s for the whole file.
        using var server = new LoopbackServer((_, _) => LoopbackReply.Ok(payload) with { ChunkSize = 16 << 10, ChunkDelay = TimeSpan.FromMilliseconds(30) });
        string cache = Path.Combine(_dir, "shared-cache"), sources = Path.Combine(_dir, "sources.json");
        File.WriteAllText(sources, SourcesJson(("test-weights", "test.h5", [server.Url("w.h5")], Convert.ToHexStringLower(MD5.HashData(payload)))));
        var environment = new Dictionary<string, string>
        {
            [CacheLocation.EnvironmentVariable] = cache,
            [WeightSourcesFile.EnvironmentVariable] = sources,
        };
        string target = Path.Combine(cache, "test.h5"), part = target + ".part";

        using var first = CliProcess.Start(environment, "fetch-weights", "--source", "test-weights");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(File.Exists(part) && new FileInfo(part).Length >= 128 << 10))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the first download never got under way: {first.Err}");
            await Task.Delay(20);
        }
        var others = Enumerable.Range(0, 3).Select(_ => CliProcess.Start(environment, "fetch-weights", "--source", "test-weights")).ToList();
        try
        {
            first.Kill();
            long kept = File.Exists(part) ? new FileInfo(part).Length : 0;
            foreach (var other in others)
            {
                var (code, stdout, err) = other.Wait(90);
                Assert.True(code == 0, err);
                Assert.Contains("verified at " + target, stdout);
            }
            Assert.Equal(payload, File.ReadAllBytes(target));
            Assert.Equal(["test.h5", "test.h5.lock"], Directory.GetFiles(cache).Select(Path.GetFileName).Order());
            // The killed transfer was resumed, not restarted: one more request, for the rest only.
            Assert.Equal(2, server.Requests.Count);
            Assert.True(server.Requests[1].RangeFrom >= kept && server.Requests[1].RangeFrom > 0, $"resumed from {server.Requests[1].RangeFrom}, kept {kept}");
        }
        finally
        {
            foreach (var other in others) other.Dispose();
        }
    }

    [Fact]
    public async Task ConcurrentCatalogueDownloadsOfOnePaintingFetchItOnce()
    {
        byte[] png = Png();
        using var server = new LoopbackServer((_, _) => LoopbackReply.Ok(png) with { ChunkSize = 256, ChunkDelay = TimeSpan.FromMilliseconds(5) });
        string catalogFile = Path.Combine(_dir, "catalog.json");
        File.WriteAllText(catalogFile, JsonSerializer.Serialize(new
        {
            images = new[] { new { id = "art", file = "art.png", title = "Art", author = "A", kind = "style", licence = "PD", source = "s", url = server.Url("art.png").ToString() } },
        }));
        var environment = new Dictionary<string, string?> { [NotebookEnvironment.Cache] = Path.Combine(_dir, "cache") };
        var reports = new List<DownloadProgress>();
        // Dedicated threads: each Get blocks, as a notebook cell does.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
            ImageCatalog.Load(catalogFile, environment).Get("art", new Collect(reports)), TaskCreationOptions.LongRunning)));
        Assert.Single(results.Select(r => r.Path).Distinct());
        Assert.All(results, r => Assert.Equal("art", r.Id));
        Assert.Equal(png, File.ReadAllBytes(results[0].Path));
        Assert.Equal(1, server.CountOf("art.png"));
        Assert.Single(results, r => r.Notice is not null && r.Notice.Contains("recorded"));
        Assert.Contains(reports, r => r.Name == "art" && r.BytesReceived == png.Length);
    }

    internal static string SourcesJson(params (string Name, string File, Uri[] Urls, string Md5)[] sources) =>
        JsonSerializer.Serialize(new
        {
            sources = sources.Select(s => new { name = s.Name, file = s.File, urls = s.Urls.Select(u => u.ToString()), md5 = s.Md5, preprocessing = "caffe" }),
        });

    internal static byte[] Bytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    internal static byte[] Png(int width = 40, int height = 30)
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(width, height);
        using var stream = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        return stream.ToArray();
    }

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them later).</summary>
    internal sealed class Collect(List<DownloadProgress> into) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            lock (into) into.Add(value);
        }
    }
}
