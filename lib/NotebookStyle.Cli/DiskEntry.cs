using System.Runtime.InteropServices;

namespace NotebookStyle.Cli;

/// <summary>
/// What a path names on disk: its kind and its identity (device and inode, equal for two names of one file: symbolic or
/// hard links). .NET reports pipes and devices as ordinary files (<see cref="FileAttributes.Normal"/>), so on Unix this
/// asks stat(2) through the runtime's own System.Native shim, whose <c>FileStatus</c> struct is the same on every Unix
/// (fixed-width fields: mode at byte 4, device at 88, inode at 104). Elsewhere only files and folders are told apart.
/// </summary>
internal readonly record struct DiskEntry(FileKind Kind, long Device, long Inode)
{
    /// <summary>The entry <paramref name="path"/> names; <paramref name="followLinks"/> false looks at a symbolic link itself.</summary>
    public static DiskEntry Of(string path, bool followLinks = true)
    {
        if (!OperatingSystem.IsWindows())
        {
            var status = new byte[256]; // the struct is 120 bytes today; room to spare if the runtime ever appends fields
            int rc = followLinks ? NativeStat(path, status) : NativeLStat(path, status);
            if (rc != 0) return new DiskEntry(FileKind.Missing, 0, 0);
            int mode = BitConverter.ToInt32(status, 4);
            var kind = (mode & 0xF000) switch
            {
                0x1000 => FileKind.Fifo,
                0x2000 => FileKind.CharacterDevice,
                0x4000 => FileKind.Directory,
                0x6000 => FileKind.BlockDevice,
                0xA000 => FileKind.SymbolicLink,
                0xC000 => FileKind.Socket,
                _ => FileKind.Regular,
            };
            return new DiskEntry(kind, BitConverter.ToInt64(status, 88), BitConverter.ToInt64(status, 104));
        }
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null) return new DiskEntry(FileKind.SymbolicLink, 0, 0);
        if (Directory.Exists(path)) return new DiskEntry(FileKind.Directory, 0, 0);
        return new DiskEntry(File.Exists(path) ? FileKind.Regular : FileKind.Missing, 0, 0);
    }

    /// <summary>True when both name one existing file (identity known only on Unix).</summary>
    public bool IsSameFileAs(DiskEntry other) =>
        Kind != FileKind.Missing && other.Kind != FileKind.Missing && (Device, Inode) != (0, 0) && (Device, Inode) == (other.Device, other.Inode);

    /// <summary>A few words for the kind, for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "missing",
    };

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int NativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [In, Out] byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int NativeLStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [In, Out] byte[] status);
}
