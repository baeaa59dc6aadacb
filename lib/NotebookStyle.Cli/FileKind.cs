namespace NotebookStyle.Cli;

/// <summary>What a path names on disk (the file type bits of stat(2)).</summary>
internal enum FileKind
{
    /// <summary>Nothing there (or a dangling symbolic link, when links are followed).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (only when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A named pipe (FIFO).</summary>
    Fifo,

    /// <summary>A character device such as /dev/null or /dev/full.</summary>
    CharacterDevice,

    /// <summary>A block device such as a disk.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,
}
