using System.Net;
using NotebookStyle.Imaging;
using NotebookStyle.Notebooks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Notebooks;

public class ImageCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nbstyle-catalog").FullName;
    private static readonly string CatalogPath = Path.Combine(TestPaths.RepoRoot, "images", "catalog.json");

    public void Dispose() => Directory.Delete(_dir, true);

    private Dictionary<string, string?> Env(string? images = null) => new() { [NotebookEnvironment.Cache] = Path.Combine(_dir, "cache"), [NotebookEnvironment.Images] = images };

    [Fact]
    public void TheRepositoryCatalogueIsCompleteAndItsCommittedFilesMatch()
    {
        var catalog = ImageCatalog.Load(CatalogPath, Env());
        Assert.True(catalog.Entries.Count >= 8);
        foreach (var e in catalog.Entries)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Licence), e.Id);
            Assert.False(string.IsNullOrWhiteSpace(e.Source), e.Id);
            Assert.Contains(e.Kind, new[] { "content", "style" });
            if (e.Url is null)
            {
                // Committed: the hash is known and checked.
                Assert.Equal(e.Sha256, ImageCatalog.Sha256Of(Path.Combine(catalog.Folder, e.File)));
            }
            else
            {
                // Downloaded: no invented hash; an offline fallback that is committed.
                Assert.StartsWith("https://", e.Url);
                Assert.Null(e.Sha256);
                Assert.NotNull(e.Fallback);
                Assert.Null(catalog.Find(e.Fallback!)!.Url);
            }
        }
        Assert.Equal(catalog.Folder, Path.GetDirectoryName(catalog.Get("chelsea").Path));
    }

    [Fact]
    public void TheImagesFolderComesFirstAndUsersOwnFilesWork()
    {
        string mine = Path.Combine(_dir, "mine");
        Directory.CreateDirectory(mine);
        SaveImage(Path.Combine(mine, "starry_night.jpg"));
        SaveImage(Path.Combine(mine, "holiday.png"));
        var catalog = ImageCatalog.Load(CatalogPath, Env(mine));
        Assert.Equal(Path.Combine(mine, "starry_night.jpg"), catalog.Get("starry_night").Path);
        var own = catalog.Get("holiday.png");
        Assert.Null(own.Entry);
        Assert.Equal("holiday.png", own.Credit);
        var ex = Assert.Throws<ImageCatalogException>(() => catalog.Get("nothing-here"));
        Assert.Contains("starry_night", ex.Message);
        Assert.StartsWith("NOTEBOOKSTYLE_IMAGES", catalog.Overview().Single(s => s.Id == "starry_night").Available);
    }

    [Fact]
    public void FirstDownloadRecordsTheHashAndLaterUsesCheckIt()
    {
        byte[] png = PngBytes();
        var handler = new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(png) });
        var catalog = Catalog(handler, sha256: null);
        var first = catalog.Get("art");
        Assert.Contains("recorded", first.Notice);
        Assert.Equal(1, handler.Calls);
        string sidecar = first.Path + ".sha256";
        Assert.Equal(ImageCatalog.Sha256Of(first.Path), File.ReadAllText(sidecar).Trim());
        var second = catalog.Get("art");
        Assert.Null(second.Notice);
        Assert.Equal(1, handler.Calls);
        // A changed copy is removed and downloaded again (the recorded hash decides), with a notice saying so.
        File.AppendAllText(first.Path, "tampered");
        var third = catalog.Get("art");
        Assert.Contains("Removed", third.Notice);
        Assert.Equal(2, handler.Calls);
        Assert.Equal(png, File.ReadAllBytes(third.Path));
    }

    [Fact]
    public void AWrongHashIsNotKeptAndFailuresFallBackWithANotice()
    {
        byte[] png = PngBytes();
        var wrong = Catalog(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(png) }), sha256: new string('0', 64));
        var fallback = wrong.Get("art");
        Assert.Equal("local", fallback.Id);
        Assert.Contains("SHA-256", fallback.Notice);
        Assert.False(File.Exists(Path.Combine(_dir, "cache", "images", "art.png")));

        var offline = Catalog(new FakeHandler(_ => throw new HttpRequestException("no route to host")), sha256: null);
        var f2 = offline.Get("art");
        Assert.Contains("no route to host", f2.Notice);
        Assert.Contains("Using 'local' instead", f2.Notice);

        var notAnImage = Catalog(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>not an image</html>") }), sha256: null);
        Assert.Equal("local", notAnImage.Get("art").Id);
        Assert.False(File.Exists(Path.Combine(_dir, "cache", "images", "art.png")));
    }

    [Fact]
    public void ACommittedFileThatChangedIsRejected()
    {
        var catalog = Catalog(new FakeHandler(_ => throw new HttpRequestException("offline")), sha256: null);
        File.AppendAllText(Path.Combine(_dir, "local.png"), "changed");
        Assert.Throws<ImageCatalogException>(() => catalog.Get("local"));
    }

    [Fact]
    public void RegionMapsAreFoundByIdCheckedByHashAndUsersOwnLoadByFileName()
    {
        string masks = Path.Combine(_dir, "masks");
        Directory.CreateDirectory(masks);
        SaveImage(Path.Combine(masks, "listed.png"));
        SaveImage(Path.Combine(masks, "mine.png"));
        var file = new CatalogFile
        {
            Images = [],
            RegionMaps =
            [
                new RegionMapEntry
                {
                    Id = "listed", File = "masks/listed.png", Photo = "local", Regions = new Dictionary<string, string> { ["000000"] = "all" },
                    Sha256 = ImageCatalog.Sha256Of(Path.Combine(masks, "listed.png")),
                },
            ],
        };
        var catalog = new ImageCatalog(file, _dir, Env());
        var listed = catalog.GetRegionMap("listed");
        Assert.Equal(Path.Combine(masks, "listed.png"), listed.Path);
        Assert.Equal("all", listed.Names["000000"]);
        foreach (string id in new[] { "mine", "mine.png" })
        {
            var mine = catalog.GetRegionMap(id);
            Assert.Null(mine.Entry);
            Assert.Empty(mine.Names);
            Assert.Equal(Path.Combine(masks, "mine.png"), mine.Path);
        }
        var missing = Assert.Throws<ImageCatalogException>(() => catalog.GetRegionMap("nothing"));
        Assert.Contains("listed", missing.Message);
        Assert.Throws<ImageCatalogException>(() => catalog.GetRegionMap("../masks/mine.png"));
        File.AppendAllText(Path.Combine(masks, "listed.png"), "changed");
        Assert.Contains("SHA-256", Assert.Throws<ImageCatalogException>(() => catalog.GetRegionMap("listed")).Message);
        Assert.Throws<ImageCatalogException>(() => new ImageCatalog(file with { RegionMaps = [file.RegionMaps[0], file.RegionMaps[0]] }, _dir, Env()));
    }

    private ImageCatalog Catalog(FakeHandler handler, string? sha256)
    {
        string local = Path.Combine(_dir, "local.png");
        if (!File.Exists(local)) SaveImage(local);
        var file = new CatalogFile
        {
            Images =
            [
                new CatalogEntry { Id = "art", File = "art.png", Title = "Art", Author = "A", Kind = "style", Licence = "PD", Source = "s", Url = "https://example.invalid/art.png", Sha256 = sha256, Fallback = "local" },
                new CatalogEntry { Id = "local", File = "local.png", Title = "Local", Author = "B", Kind = "content", Licence = "CC0", Source = "s", Sha256 = ImageCatalog.Sha256Of(local) },
            ],
        };
        return new ImageCatalog(file, _dir, Env(), handler);
    }

    private static void SaveImage(string path)
    {
        using var img = new Image<Rgb24>(4, 3);
        ImageTensor.SavePng(img, path);
    }

    private static byte[] PngBytes()
    {
        using var img = new Image<Rgb24>(5, 5);
        using var ms = new MemoryStream();
        img.SaveAsPng(ms);
        return ms.ToArray();
    }

    private sealed class FakeHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            Assert.Contains("NotebookStyle", request.Headers.UserAgent.ToString());
            return Task.FromResult(respond(request));
        }
    }
}
