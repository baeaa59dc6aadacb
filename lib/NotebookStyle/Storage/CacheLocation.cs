namespace NotebookStyle.Storage;

/// <summary>
/// The one place that decides where NotebookStyle's cache lives — downloaded weights at its top, catalogue images in
/// its <c>images/</c> — for the library, the CLI and the notebooks alike.
/// </summary>
public static class CacheLocation
{
    /// <summary>The environment variable that names the cache folder, overriding the platform's default.</summary>
    public const string EnvironmentVariable = "NOTEBOOKSTYLE_CACHE";

    /// <summary>The cache folder for this process's environment (see <see cref="Resolve"/>).</summary>
    public static string Default() => Resolve(Environment.GetEnvironmentVariable);

    /// <summary>
    /// <c>$NOTEBOOKSTYLE_CACHE</c> if set; else <c>$XDG_CACHE_HOME/notebookstyle</c>; else the platform's per-user cache:
    /// <c>~/.cache/notebookstyle</c> (Linux), <c>~/Library/Caches/notebookstyle</c> (macOS),
    /// <c>%LOCALAPPDATA%\notebookstyle\cache</c> (Windows). <paramref name="environment"/> looks a variable up (null or
    /// blank: unset), so that callers with their own view of the environment, and tests, get the same answer.
    /// The folder is neither created nor checked here.
    /// </summary>
    public static string Resolve(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Value(environment, EnvironmentVariable) is { } overridden) return Path.GetFullPath(overridden);
        if (Value(environment, "XDG_CACHE_HOME") is { } xdg) return Path.Combine(Path.GetFullPath(xdg), "notebookstyle");
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "notebookstyle", "cache");
        string home = Value(environment, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return OperatingSystem.IsMacOS()
            ? Path.Combine(home, "Library", "Caches", "notebookstyle")
            : Path.Combine(home, ".cache", "notebookstyle");
    }

    private static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
