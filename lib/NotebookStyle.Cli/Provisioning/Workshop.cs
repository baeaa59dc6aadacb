using System.Text.Json;
using NotebookStyle.Notebooks;
using NotebookStyle.Storage;
using NotebookStyle.Weights;

namespace NotebookStyle.Provisioning;

/// <summary>
/// Gathers everything a class needs to run the course with no network into one folder: VGG19 weights (verified by
/// hash), every catalogue painting (verified by the catalogue's hash, or the one recorded at first download) in a cache
/// laid out as <see cref="CacheLocation"/> expects, and the NuGet packages a notebook kernel restores
/// (<see cref="WorkshopPackages"/>). Running it again verifies what is there instead of downloading it, and replaces
/// what is damaged. The folder then holds <see cref="ManifestFile"/> (what is in it) and <see cref="EnvironmentFile"/>
/// (the variables that point the notebooks at it).
/// </summary>
public static class Workshop
{
    /// <summary>The list of what the folder holds, with hashes.</summary>
    public const string ManifestFile = "workshop.json";

    /// <summary>The shell lines that point the notebooks at the folder.</summary>
    public const string EnvironmentFile = "workshop.env";

    /// <summary>The environment variable a NuGet restore takes its global packages folder from.</summary>
    public const string NuGetPackagesVariable = "NUGET_PACKAGES";

    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true };

    /// <summary>
    /// Fills and verifies <see cref="WorkshopSettings.Folder"/>. <paramref name="log"/> receives one line per step;
    /// <paramref name="progress"/> download progress.
    /// </summary>
    /// <exception cref="WorkshopIncompleteException">Something could not be had; the message lists each, and what is there is kept.</exception>
    /// <exception cref="CacheUnusableException">The folder cannot be written.</exception>
    public static WorkshopReport Prepare(WorkshopSettings settings, Action<string>? log = null, IProgress<DownloadProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Sources.Count == 0) throw new NotebookStyleException("A workshop needs at least one weight source.");
        string folder = Path.GetFullPath(settings.Folder), cache = Path.Combine(folder, "cache"), nuget = Path.Combine(folder, "nuget");
        if (File.Exists(folder)) throw new NotebookStyleException($"The workshop folder {settings.Folder} is a file; give a folder (it is created if needed).");
        // Every input is checked before anything is downloaded: the catalogue first.
        var catalog = ImageCatalog.Load(settings.CatalogPath ?? ImageCatalog.FindCatalogFile(),
            new Dictionary<string, string?> { [NotebookEnvironment.Cache] = cache });
        try
        {
            Directory.CreateDirectory(cache);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CacheUnusableException(folder, $"The workshop folder {folder} cannot be created: {e.Message}", e);
        }

        var items = new List<WorkshopItem>();
        var failures = new List<string>();
        void Add(WorkshopItem item, bool logged = true)
        {
            items.Add(item);
            if (logged) log?.Invoke($"{item.Kind.Word()} {item.Name}: {item.Status.Word()} ({item.Path})");
        }

        // The store and the catalogue say what each fetch did; their notices (a damaged copy removed, a wait) go to the log.
        using (var store = new WeightStore(cache, notice: log))
            foreach (var source in settings.Sources)
                Step(failures, source.Name, () =>
                {
                    var (path, outcome) = store.Obtain(source, progress);
                    Add(new(WorkshopItemKind.Weights, source.Name, path, outcome.Status()));
                });

        foreach (var entry in catalog.Entries.Where(e => e.Url is not null))
            Step(failures, entry.Id, () =>
            {
                var image = catalog.Download(entry.Id, progress);
                Add(new(WorkshopItemKind.Painting, entry.Id, image.Path, image.Outcome!.Value.Status()));
            });

        if (settings.IncludePackages)
            Step(failures, "NuGet packages", () =>
            {
                string? feed = settings.PackageFeed ?? RepositoryFeed(catalog.Folder);
                var roots = settings.PackageRoots ?? KernelRoots(settings.Backend, feed);
                foreach (var package in WorkshopPackages.Gather(roots, nuget, feed is not null && Directory.Exists(feed) ? feed : null, settings.RestoreTimeout, log))
                    Add(new(WorkshopItemKind.Package, $"{package.Id} {package.Version}", package.Path, package.Copied ? WorkshopStatus.Copied : WorkshopStatus.Verified), logged: false);
                log?.Invoke($"packages: {items.Count(i => i.Kind == WorkshopItemKind.Package)} in {nuget}");
            });

        if (failures.Count > 0)
            throw new WorkshopIncompleteException($"The workshop folder {folder} is incomplete: {string.Join(" ", failures)} " +
                                                  "What is there is kept and verified; run the command again when the cause is fixed.");

        Verify(items, settings.Sources, catalog, cache);
        var environment = new List<(string, string)> { (CacheLocation.EnvironmentVariable, cache) };
        if (settings.IncludePackages) environment.Add((NuGetPackagesVariable, nuget));
        var first = items.First(i => i.Kind == WorkshopItemKind.Weights);
        environment.Add((NotebookEnvironment.Weights, first.Path));
        // Said outright: a custom source's file name need not tell the notebooks how its weights were trained.
        environment.Add((NotebookEnvironment.WeightsPreprocessing, settings.Sources.First(s => s.Name == first.Name).Preprocessing.Name));
        var report = new WorkshopReport(folder, items, environment);
        WriteFiles(report);
        return report;
    }

    /// <summary>The packages a kernel restores for <paramref name="backend"/>, plus the NotebookStyle package when <paramref name="feed"/> holds it.</summary>
    public static IReadOnlyList<(string Id, string Version)> KernelRoots(NotebookBackend backend, string? feed)
    {
        var roots = TorchPackages.References(backend).ToList();
        if (feed is not null && WorkshopPackages.LatestInFeed(feed, "NotebookStyle") is { } version) roots.Add(("NotebookStyle", version));
        return roots;
    }

    private static void Step(List<string> failures, string what, Action step)
    {
        try
        {
            step();
        }
        catch (NotebookStyleException e)
        {
            failures.Add($"{what}: {e.Message}");
        }
    }

    // Every file hashed once more, now that everything is in place: what the folder promises is what it holds.
    private static void Verify(List<WorkshopItem> items, IReadOnlyList<WeightSource> sources, ImageCatalog catalog, string cache)
    {
        using var store = new WeightStore(cache);
        foreach (var source in sources)
            if (!store.TryGetCached(source, out _))
                throw new WorkshopIncompleteException($"{source.Name} did not verify in {store.PathFor(source)} after it was gathered.");
        foreach (var entry in catalog.Entries.Where(e => e.Url is not null))
            if (catalog.Download(entry.Id).Outcome != FetchOutcome.Verified)
                throw new WorkshopIncompleteException($"{entry.Id} did not verify in {catalog.CachePathFor(entry)} after it was gathered.");
        foreach (var package in items.Where(i => i.Kind == WorkshopItemKind.Package))
            if (!WorkshopPackages.IsVerified(package.Path))
                throw new WorkshopIncompleteException($"The package {package.Name} did not verify in {package.Path} after it was copied.");
    }

    private static void WriteFiles(WorkshopReport report)
    {
        var manifest = new
        {
            created = DateTimeOffset.UtcNow.ToString("O"),
            items = report.Items.Select(i => new { kind = i.Kind.Word(), name = i.Name, path = Path.GetRelativePath(report.Folder, i.Path) }),
            environment = report.Environment.Select(e => new { name = e.Name, value = e.Value }),
        };
        File.WriteAllText(Path.Combine(report.Folder, ManifestFile), JsonSerializer.Serialize(manifest, ManifestJson));
        File.WriteAllLines(Path.Combine(report.Folder, EnvironmentFile),
            ["# Point the NotebookStyle notebooks at this workshop folder: source this file before starting them.",
             .. report.Environment.Select(e => $"export {e.Name}={WorkshopReport.Quote(e.Value)}")]);
    }

    // The repository's out/feed (where the build packs the NotebookStyle package), next to images/.
    private static string? RepositoryFeed(string imagesFolder) =>
        Path.GetDirectoryName(imagesFolder) is { } root && Directory.Exists(Path.Combine(root, "out", "feed")) ? Path.Combine(root, "out", "feed") : null;
}
