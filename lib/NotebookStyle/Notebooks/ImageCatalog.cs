using System.Security.Cryptography;
using System.Text.Json;
using NotebookStyle.Imaging;
using NotebookStyle.Storage;

namespace NotebookStyle.Notebooks;

/// <summary>One image of <c>images/catalog.json</c>.</summary>
public sealed record CatalogEntry
{
    /// <summary>Short name used by the lessons, e.g. <c>starry_night</c>.</summary>
    public required string Id { get; init; }

    /// <summary>File name in the image folders and the cache.</summary>
    public required string File { get; init; }

    /// <summary>Title of the work.</summary>
    public required string Title { get; init; }

    /// <summary>Author or photographer.</summary>
    public required string Author { get; init; }

    /// <summary>Year or period of the work.</summary>
    public string? Year { get; init; }

    /// <summary><c>content</c> (photos) or <c>style</c> (artworks, textures).</summary>
    public required string Kind { get; init; }

    /// <summary>Licence or copyright status.</summary>
    public required string Licence { get; init; }

    /// <summary>Where the image is described (a page, not necessarily the file).</summary>
    public required string Source { get; init; }

    /// <summary>Where it is downloaded from (null: committed in <c>images/</c>).</summary>
    public string? Url { get; init; }

    /// <summary>SHA-256 of the file (hex). Null for downloads whose bytes could not be checked when the catalogue was written: the hash is recorded at first download and checked afterwards.</summary>
    public string? Sha256 { get; init; }

    /// <summary>A committed image used instead when this one cannot be had (offline, not in any folder).</summary>
    public string? Fallback { get; init; }
}

/// <summary>One region map of <c>images/catalog.json</c>: flat colours marking regions of one of the photos.</summary>
public sealed record RegionMapEntry
{
    /// <summary>Short name used by the lessons, e.g. <c>coffee-regions</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The PNG, relative to the catalogue's folder, e.g. <c>masks/coffee-regions.png</c>.</summary>
    public required string File { get; init; }

    /// <summary>The catalogue id of the photo it was drawn on.</summary>
    public required string Photo { get; init; }

    /// <summary>What each colour (hex <c>rrggbb</c>) marks, e.g. <c>0000ff</c> → <c>table</c>.</summary>
    public required IReadOnlyDictionary<string, string> Regions { get; init; }

    /// <summary>The script that makes the map, relative to the catalogue's folder.</summary>
    public string? Recipe { get; init; }

    /// <summary>SHA-256 of the committed PNG (hex), checked on use.</summary>
    public string? Sha256 { get; init; }
}

/// <summary>The catalogue file.</summary>
public sealed record CatalogFile
{
    /// <summary>What the catalogue is.</summary>
    public string? Description { get; init; }

    /// <summary>The images.</summary>
    public required IReadOnlyList<CatalogEntry> Images { get; init; }

    /// <summary>Region maps drawn on the committed photos (for styles per region).</summary>
    public IReadOnlyList<RegionMapEntry> RegionMaps { get; init; } = [];
}

/// <summary>A region map found on disk.</summary>
/// <param name="Id">The map's id (or the file name for a user's own map).</param>
/// <param name="Path">The PNG.</param>
/// <param name="Entry">The catalogue entry (null for a user's own map).</param>
public sealed record CatalogRegionMap(string Id, string Path, RegionMapEntry? Entry)
{
    /// <summary>What each colour marks (empty for a user's own map).</summary>
    public IReadOnlyDictionary<string, string> Names => Entry?.Regions ?? new Dictionary<string, string>();
}

/// <summary>An image found on disk, and anything the user should know about how.</summary>
/// <param name="Id">The catalogue id (or the file name for a user's own file).</param>
/// <param name="Path">The file.</param>
/// <param name="Entry">The catalogue entry (null for a user's own file).</param>
/// <param name="Notice">E.g. that a fallback was used, or that the hash was recorded at first download.</param>
public sealed record CatalogImage(string Id, string Path, CatalogEntry? Entry, string? Notice)
{
    /// <summary>What fetching it into the cache did (verified there, downloaded, or a damaged copy replaced); null when it was found in a folder.</summary>
    public FetchOutcome? Outcome { get; init; }

    /// <summary>"Title, Author (year) — licence", for captions.</summary>
    public string Credit => Entry is null ? System.IO.Path.GetFileName(Path) : $"{Entry.Title}, {Entry.Author}{(Entry.Year is null ? "" : $" ({Entry.Year})")} — {Entry.Licence}";
}

/// <summary>Where a catalogue image is (see <see cref="ImageCatalog.Overview"/>).</summary>
/// <param name="Id">Catalogue id.</param>
/// <param name="Kind">content or style.</param>
/// <param name="Title">Title of the work.</param>
/// <param name="Author">Author.</param>
/// <param name="Licence">Licence.</param>
/// <param name="Available">Where it is found now, or how it will be had.</param>
public sealed record CatalogStatus(string Id, string Kind, string Title, string Author, string Licence, string Available);

/// <summary>An image id that is neither in the catalogue nor a file in the image folders, or one that cannot be had.</summary>
public sealed class ImageCatalogException(string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new FileNotFoundException(message));

/// <summary>
/// The lessons' images. An id is looked up, in order: in the folder named by <see cref="NotebookEnvironment.Images"/>
/// (by file name, unchecked: the user's choice), in the repository's <c>images/</c> (committed files are checked against
/// their SHA-256), in the cache (checked against the catalogue's hash, or the hash recorded at first download; a damaged
/// copy is removed), and finally downloaded into the cache through the <see cref="VerifiedDownloader"/> (bounded size,
/// hash-checked, checked to be an image, renamed into place under a lock, resumed after an interruption). When all fail,
/// the entry's fallback is used with a notice. Users can drop their
/// own files into <c>images/</c> and use the file name as the id.
/// </summary>
public sealed class ImageCatalog
{
    /// <summary>Largest download accepted.</summary>
    public const long MaxDownloadBytes = 40L << 20;

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly Lazy<ImageCatalog> Lazy = new(() => Load(FindCatalogFile()));
    private readonly Dictionary<string, CatalogEntry> _byId;
    private readonly HttpMessageHandler? _handler;
    private readonly IReadOnlyDictionary<string, string?>? _environment;

    /// <summary>Creates a catalogue over <paramref name="file"/> whose committed images live in <paramref name="folder"/>.</summary>
    public ImageCatalog(CatalogFile file, string folder, IReadOnlyDictionary<string, string?>? environment = null, HttpMessageHandler? handler = null)
    {
        Entries = file.Images;
        Folder = Path.GetFullPath(folder);
        _byId = new Dictionary<string, CatalogEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in file.Images)
            if (!_byId.TryAdd(e.Id, e)) throw new ImageCatalogException($"The catalogue lists '{e.Id}' twice.");
        _environment = environment;
        _handler = handler;
        RegionMaps = file.RegionMaps ?? [];
        if (RegionMaps.GroupBy(m => m.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ImageCatalogException($"The catalogue lists the region map '{twice.Key}' twice.");
    }

    /// <summary>The catalogue of this repository (found by walking up from the current folder to <c>images/catalog.json</c>).</summary>
    public static ImageCatalog Default => Lazy.Value;

    /// <summary>All entries.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; }

    /// <summary>The folder holding <c>catalog.json</c> and the committed images.</summary>
    public string Folder { get; }

    /// <summary>The region maps the catalogue lists.</summary>
    public IReadOnlyList<RegionMapEntry> RegionMaps { get; }

    /// <summary>The folder of region maps: <c>masks/</c> beside the catalogue (users' own maps go here too).</summary>
    public string MasksFolder => Path.Combine(Folder, "masks");

    /// <summary>
    /// The region map <paramref name="id"/>: a catalogue entry (its committed PNG checked against its SHA-256), else a file
    /// <c>masks/ID</c> or <c>masks/ID.png</c> of the user's own (unchecked).
    /// </summary>
    /// <exception cref="ImageCatalogException">No such map, or a committed map that was changed.</exception>
    public CatalogRegionMap GetRegionMap(string id)
    {
        if (RegionMaps.FirstOrDefault(m => m.Id.Equals(id, StringComparison.OrdinalIgnoreCase)) is { } entry)
        {
            string path = Path.GetFullPath(Path.Combine(Folder, entry.File));
            if (!System.IO.File.Exists(path)) throw new ImageCatalogException($"The region map '{entry.Id}' should be at {path}, which is missing.");
            if (entry.Sha256 is { } expected) Verify(path, expected, "region map");
            return new(entry.Id, path, entry);
        }
        foreach (string candidate in new[] { id, id + ".png" })
        {
            string path = Path.Combine(MasksFolder, candidate);
            if (Path.GetFileName(candidate) == candidate && System.IO.File.Exists(path)) return new(id, Path.GetFullPath(path), null);
        }
        string known = RegionMaps.Count == 0 ? "none" : string.Join(", ", RegionMaps.Select(m => m.Id));
        throw new ImageCatalogException($"No region map '{id}': it is not in {Path.Combine(Folder, "catalog.json")} (maps: {known}) " +
                                        $"and no such PNG is in {MasksFolder}.");
    }

    /// <summary>The cache folder for downloads.</summary>
    public string CacheFolder => Path.Combine(NotebookEnvironment.CacheFolder(_environment), "images");

    /// <summary>Reads a catalogue file; its folder holds the committed images.</summary>
    /// <exception cref="ImageCatalogException">Missing or malformed.</exception>
    public static ImageCatalog Load(string path, IReadOnlyDictionary<string, string?>? environment = null, HttpMessageHandler? handler = null)
    {
        try
        {
            var file = JsonSerializer.Deserialize<CatalogFile>(System.IO.File.ReadAllText(path), Json)
                ?? throw new ImageCatalogException($"{path} is empty.");
            return new ImageCatalog(file, Path.GetDirectoryName(Path.GetFullPath(path))!, environment, handler);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new ImageCatalogException($"The image catalogue {path} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>The folders searched, in order (the cache last).</summary>
    public IReadOnlyList<string> SearchFolders()
    {
        var list = new List<string>();
        if (NotebookEnvironment.Get(NotebookEnvironment.Images, _environment) is { } env) list.Add(Path.GetFullPath(env));
        list.Add(Folder);
        list.Add(CacheFolder);
        return list;
    }

    /// <summary>Every entry and where it would be found now (nothing is downloaded).</summary>
    public IReadOnlyList<CatalogStatus> Overview() => Entries.Select(e => new CatalogStatus(e.Id, e.Kind, e.Title, e.Author, e.Licence, Where(e))).ToList();

    private string Where(CatalogEntry e)
    {
        if (NotebookEnvironment.Get(NotebookEnvironment.Images, _environment) is { } env && System.IO.File.Exists(Path.Combine(env, e.File)))
            return $"{NotebookEnvironment.Images} ({env})";
        if (System.IO.File.Exists(Path.Combine(Folder, e.File))) return "images/ (committed)";
        if (System.IO.File.Exists(Path.Combine(CacheFolder, e.File))) return "cache";
        return e.Url is null ? "missing" : "downloaded on first use" + (e.Fallback is null ? "" : $" (offline: {e.Fallback})");
    }

    /// <summary>The entry with <paramref name="id"/>, or null.</summary>
    public CatalogEntry? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Finds (or downloads, reporting to <paramref name="progress"/>) the image <paramref name="id"/>.</summary>
    /// <exception cref="ImageCatalogException">Unknown id, a changed committed file, or no way to get it and no fallback.</exception>
    public CatalogImage Get(string id, IProgress<DownloadProgress>? progress = null) => Get(id, progress, 0);

    private CatalogImage Get(string id, IProgress<DownloadProgress>? progress, int depth)
    {
        var entry = Find(id);
        string file = entry?.File ?? id;
        if (NotebookEnvironment.Get(NotebookEnvironment.Images, _environment) is { } env)
        {
            string p = Path.Combine(env, file);
            if (System.IO.File.Exists(p)) return new(id, Path.GetFullPath(p), entry, null);
        }
        string local = Path.Combine(Folder, file);
        if (System.IO.File.Exists(local))
        {
            if (entry?.Sha256 is { } expected && entry.Url is null) Verify(local, expected, "committed");
            return new(id, local, entry, null);
        }
        if (entry is null)
            throw new ImageCatalogException($"No image '{id}': it is not in {Path.Combine(Folder, "catalog.json")} and no such file is in {string.Join(" or ", SearchFolders().Take(SearchFolders().Count - 1))}. " +
                                            $"Catalogue ids: {string.Join(", ", Entries.Select(e => e.Id))}.");
        NotebookStyleException? failure = null;
        try
        {
            if (FromCache(entry, progress, download: entry.Url is not null) is { } found) return found;
        }
        catch (NotebookStyleException ex)
        {
            failure = ex;
        }
        string reason = failure is null ? "it is not committed and has no download address" : $"the download failed ({failure.Message})";
        if (entry.Fallback is { } fb && depth < 3)
        {
            var other = Get(fb, progress, depth + 1);
            return other with { Notice = $"'{id}' ({entry.Title}) could not be had: {reason}. Using '{fb}' instead. " +
                                         $"Put {entry.File} into {Folder} or into the folder named by {NotebookEnvironment.Images} to use it offline." };
        }
        throw new ImageCatalogException($"'{id}' ({entry.Title}) could not be had: {reason}. Put {entry.File} into {Folder} " +
                                        $"or point {NotebookEnvironment.Images} at a folder holding it.", failure);
    }

    /// <summary>
    /// A verified copy of the downloadable image <paramref name="id"/> in the cache, downloaded if needed — no other
    /// folder and no fallback (what a workshop folder is filled with). <see cref="CatalogImage.Outcome"/> says what was
    /// done; <see cref="CatalogImage.Notice"/> tells a person (null when a verified copy was already there).
    /// </summary>
    /// <exception cref="ImageCatalogException">Unknown id, or an entry that is committed rather than downloaded.</exception>
    /// <exception cref="NotebookStyleException">The download failed; the storage errors name why (<see cref="DownloadUnavailableException"/>, <see cref="HashMismatchException"/>, …).</exception>
    public CatalogImage Download(string id, IProgress<DownloadProgress>? progress = null)
    {
        var entry = Find(id) ?? throw new ImageCatalogException($"No image '{id}' in {Path.Combine(Folder, "catalog.json")}.");
        if (entry.Url is null) throw new ImageCatalogException($"'{id}' is committed in {Folder}, not downloaded.");
        return FromCache(entry, progress, download: true)!;
    }

    /// <summary>The file an entry is downloaded to.</summary>
    public string CachePathFor(CatalogEntry entry) => Path.Combine(CacheFolder, entry.File);

    // The verified cached copy, downloading it when allowed; null when it is not cached and may not be downloaded.
    private CatalogImage? FromCache(CatalogEntry entry, IProgress<DownloadProgress>? progress, bool download)
    {
        var notices = new List<string>();
        var request = new DownloadRequest(entry.Id, CachePathFor(entry), entry.Url is null ? [] : [new Uri(entry.Url)])
        {
            Hash = entry.Sha256 is null ? null : FileHash.Sha256(entry.Sha256),
            MaxBytes = MaxDownloadBytes,
            Check = IsImage,
        };
        // Wikimedia asks clients to identify themselves.
        using var downloader = new VerifiedDownloader(_handler, "NotebookStyle-notebooks/1.0 (style-transfer course; images/catalog.json)", notices.Add);
        if (!download)
            return downloader.TryGetVerified(request, out _) ? new(entry.Id, request.TargetPath, entry, Joined(notices)) { Outcome = FetchOutcome.Verified } : null;
        var result = downloader.Fetch(request, progress); // a verified copy is taken as it is; a damaged one is replaced
        if (result.Outcome != FetchOutcome.Verified)
            notices.Add(entry.Sha256 is null
                ? $"Downloaded {entry.Title} from {result.Address}; the catalogue has no hash for it, so SHA-256 {result.Digest} was recorded and will be checked from now on."
                : $"Downloaded {entry.Title} from {result.Address} (SHA-256 checked).");
        return new(entry.Id, result.Path, entry, Joined(notices)) { Outcome = result.Outcome };
    }

    private static string? Joined(List<string> notices) => notices.Count == 0 ? null : string.Join(" ", notices);

    private static string? IsImage(string path)
    {
        try
        {
            ImageLoader.Identify(path);
            return null;
        }
        catch (NotebookStyleException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var s = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    private static void Verify(string path, string expected, string what)
    {
        string actual = Sha256Of(path);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new ImageCatalogException($"The {what} image {path} has SHA-256 {actual}, the catalogue expects {expected}: the file was changed or is damaged.");
    }

    /// <summary>Walks up from the current folder (then from this assembly's folder) to <c>images/catalog.json</c>.</summary>
    public static string FindCatalogFile()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(typeof(ImageCatalog).Assembly.Location) ?? "" })
            for (var d = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                string p = Path.Combine(d.FullName, "images", "catalog.json");
                if (System.IO.File.Exists(p)) return p;
            }
        throw new ImageCatalogException($"No images/catalog.json above {Directory.GetCurrentDirectory()}: run the notebooks inside the repository.");
    }
}
