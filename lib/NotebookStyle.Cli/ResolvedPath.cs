namespace NotebookStyle.Cli;

/// <summary>A path made absolute with every symbolic link in it followed, like realpath(3) but also for paths that do not exist yet.</summary>
internal static class ResolvedPath
{
    private const int MaxLinks = 40; // Linux's own limit before ELOOP

    /// <summary>
    /// <paramref name="path"/> absolute, each existing component that is a symbolic link replaced by its target; the
    /// components that do not exist are kept as written.
    /// </summary>
    /// <exception cref="NotebookStyleException">More than 40 links on the way (a loop).</exception>
    public static string Of(string path)
    {
        int links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        string root = Path.GetPathRoot(full)!;
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new NotebookStyleException($"{full} has too many symbolic links on its way (a loop?).");
            current = Resolve(Path.GetFullPath(target, current), ref links);
        }
        return current;
    }
}
