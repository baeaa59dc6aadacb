using NotebookStyle.Imaging;

namespace NotebookStyle.Cli;

/// <summary>
/// A file the CLI will write (<c>--output</c>, <c>--metrics</c>), checked before anything slow runs: not a folder or a
/// path ending in a separator, not under a regular file, not a pipe, device or socket, in a folder that can be written.
/// A symbolic link is followed: <see cref="WritePath"/> is the file it points to, which is replaced whole.
/// </summary>
/// <param name="Option">The option that named it, for messages.</param>
/// <param name="Requested">The path as given.</param>
/// <param name="WritePath">Where the bytes go: absolute, every symbolic link followed.</param>
internal sealed record OutputTarget(string Option, string Requested, string WritePath)
{
    /// <summary>Checks <paramref name="path"/> for <paramref name="option"/>; nothing is created or changed.</summary>
    /// <exception cref="NotebookStyleException">It cannot be written; the message says why.</exception>
    public static OutputTarget Check(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new NotebookStyleException($"{option} is empty; give a file name.");
        if (Path.EndsInDirectorySeparator(path))
            throw new NotebookStyleException($"{option} {path} ends in '{path[^1]}', so it names a folder; give a file name inside it.");
        string write = ResolvedPath.Of(path);
        var entry = DiskEntry.Of(write);
        switch (entry.Kind)
        {
            case FileKind.Directory:
                throw new NotebookStyleException($"{option} {path} is a folder; give a file name inside it.");
            case FileKind.Fifo or FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Socket:
                throw new NotebookStyleException($"{option} {path} is {DiskEntry.Describe(entry.Kind)}, not a regular file; refusing to replace it.");
        }
        CheckFolder(option, path, Path.GetDirectoryName(write)!);
        return new OutputTarget(option, path, write);
    }

    /// <summary>The image format the requested name's extension asks for.</summary>
    /// <exception cref="NotebookStyleException">Not .png, .jpg or .jpeg.</exception>
    public ImageFileFormat ImageFormat() => ImageWriter.FormatOf(Requested) ?? throw new NotebookStyleException(
        Path.GetExtension(Requested) is { Length: > 0 } ext
            ? $"{Option} {Requested}: unknown image extension '{ext}'; use .png or .jpg (.jpeg)."
            : $"{Option} {Requested} has no extension; end it in .png or .jpg (.jpeg) to choose the format.");

    /// <summary>True when both end up writing the same file.</summary>
    public bool SameFileAs(OutputTarget other) => PathsEqual(WritePath, other.WritePath);

    /// <summary>True when writing here would replace the existing file <paramref name="path"/> (links and hard links included).</summary>
    public bool Replaces(string path) =>
        PathsEqual(WritePath, ResolvedPath.Of(path)) || DiskEntry.Of(WritePath).IsSameFileAs(DiskEntry.Of(path));

    private static bool PathsEqual(string a, string b) =>
        string.Equals(a, b, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The folder must exist or be creatable (its nearest existing ancestor a folder), and a file must be creatable in
    /// that ancestor: a probe file is created and deleted there, so permissions, read-only mounts and full inode
    /// tables show now, not after the run.
    /// </summary>
    private static void CheckFolder(string option, string path, string folder)
    {
        string existing = folder;
        while (!Directory.Exists(existing))
        {
            var kind = DiskEntry.Of(existing).Kind;
            if (kind != FileKind.Missing)
                throw new NotebookStyleException($"{option} {path} cannot be created: {existing} is {DiskEntry.Describe(kind)}, not a folder.");
            existing = Path.GetDirectoryName(existing) ?? throw new NotebookStyleException($"{option} {path}: no folder on its way exists.");
        }
        string probe = Path.Combine(existing, $".nstyle-probe-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NotebookStyleException($"{option} {path} cannot be written: creating a file in {existing} failed ({ex.Message}).");
        }
    }
}
