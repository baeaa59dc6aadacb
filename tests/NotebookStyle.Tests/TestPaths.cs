namespace NotebookStyle.Tests;

/// <summary>Where tests find the repository and the read-only ../shared folder beside it.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding NotebookStyle.sln).</summary>
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "NotebookStyle.sln")))
        ?? throw new DirectoryNotFoundException($"No NotebookStyle.sln above {AppContext.BaseDirectory}.");

    /// <summary>../shared/images beside the repository (CI lays it there); NOTEBOOKSTYLE_SHARED overrides ../shared.</summary>
    public static string SharedImages { get; } = Path.Combine(SharedRoot(), "images");

    /// <summary>A file in ../shared/images.</summary>
    public static string SharedImage(string name)
    {
        string p = Path.Combine(SharedImages, name);
        return File.Exists(p) ? p : throw new FileNotFoundException($"Test image missing: {p} (../shared must be beside the repository).", p);
    }

    private static string SharedRoot() =>
        Environment.GetEnvironmentVariable("NOTEBOOKSTYLE_SHARED") is { Length: > 0 } s
            ? s
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    private static string? FindUp(string start, Func<string, bool> match)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (match(d.FullName)) return d.FullName;
        return null;
    }
}
