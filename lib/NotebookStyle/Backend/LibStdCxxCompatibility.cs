namespace NotebookStyle.Backend;

/// <summary>What <see cref="LibStdCxxCompatibility"/> found or did for one copy of <c>libLibTorchSharp.so</c>.</summary>
public enum CompatibilityStatus
{
    /// <summary>The system libstdc++ has every version the file needs: nothing to do.</summary>
    NotNeeded,
    /// <summary>The marker's version need is already weak: nothing to do.</summary>
    AlreadyPatched,
    /// <summary>The marker's version need is strong and the system lacks it: the setup step would patch it.</summary>
    NeedsPatch,
    /// <summary>The marker's version need was made weak now.</summary>
    Patched,
    /// <summary>The file needs a missing version for a symbol that is really called: weakening it would be unsafe.</summary>
    CannotPatch,
}

/// <summary>One line of the setup report.</summary>
/// <param name="Path">The copy of <c>libLibTorchSharp.so</c>.</param>
/// <param name="Status">What was found or done.</param>
/// <param name="Detail">A sentence for the user.</param>
public sealed record CompatibilityReport(string Path, CompatibilityStatus Status, string Detail);

/// <summary>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> is linked against GCC 13's libstdc++ and so needs
/// <c>GLIBCXX_3.4.32</c>; Debian 12 ships 3.4.30 and the loader refuses the file. The only symbol behind
/// that version is <c>std::ios_base_library_init</c>, a link-time marker GCC 13 emits for &lt;iostream&gt;
/// that is never called. Marking that one version need weak (VER_FLG_WEAK in its <c>.gnu.version_r</c>
/// entry) lets the loader accept the file. This class does that, only where the system lacks the version,
/// only when the marker is the sole symbol behind it, and idempotently.
/// </summary>
public static class LibStdCxxCompatibility
{
    /// <summary>The never-called marker symbol that may be bound weakly.</summary>
    public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    /// <summary>The file name of TorchSharp's native glue library on Linux.</summary>
    public const string LibTorchSharpFileName = "libLibTorchSharp.so";

    private static readonly string[] SystemLibraryDirs =
        ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib"];

    /// <summary>The system's <c>libstdc++.so.6</c>, honouring <c>LD_LIBRARY_PATH</c> first; null if none is found.</summary>
    public static string? FindSystemLibStdCxx()
    {
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SystemLibraryDirs);
        return dirs.Select(d => System.IO.Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    /// <summary>The NuGet global packages folder: <c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>.</summary>
    public static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Every copy of <c>libLibTorchSharp.so</c> in the NuGet cache and under <paramref name="extraRoots"/>.</summary>
    public static IReadOnlyList<string> FindLibTorchSharpCopies(IEnumerable<string> extraRoots)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        string cache = System.IO.Path.Combine(NuGetPackagesFolder(), "torchsharp");
        foreach (string root in extraRoots.Prepend(cache).Where(Directory.Exists))
            foreach (string f in Directory.EnumerateFiles(root, LibTorchSharpFileName, SearchOption.AllDirectories))
                found.Add(System.IO.Path.GetFullPath(f));
        return found.ToList();
    }

    /// <summary>Tells what <paramref name="libTorchSharp"/> needs that <paramref name="systemLibStdCxx"/> lacks, without changing anything.</summary>
    public static CompatibilityReport Inspect(string libTorchSharp, string systemLibStdCxx) => Run(libTorchSharp, systemLibStdCxx, write: false);

    /// <summary>Makes <paramref name="libTorchSharp"/> loadable against <paramref name="systemLibStdCxx"/> if it is safe; idempotent.</summary>
    public static CompatibilityReport Apply(string libTorchSharp, string systemLibStdCxx) => Run(libTorchSharp, systemLibStdCxx, write: true);

    private static CompatibilityReport Run(string path, string systemLib, bool write)
    {
        var system = new HashSet<string>(ElfVersionInfo.Read(systemLib).Defined, StringComparer.Ordinal);
        var needs = ElfVersionInfo.Read(path).Needed
            .Where(n => n.Library.StartsWith("libstdc++", StringComparison.Ordinal) && !system.Contains(n.Version))
            .ToList();
        if (needs.Count == 0)
            return new(path, CompatibilityStatus.NotNeeded, $"{systemLib} has every libstdc++ version this file needs.");

        var strong = needs.Where(n => !n.Weak).ToList();
        if (strong.Count == 0)
            return new(path, CompatibilityStatus.AlreadyPatched,
                $"needs {string.Join(", ", needs.Select(n => n.Version))} (missing from {systemLib}) only weakly: already patched.");

        var unsafeNeeds = strong.Where(n => n.Symbols.Any(s => s != MarkerSymbol)).ToList();
        if (unsafeNeeds.Count > 0)
        {
            var n = unsafeNeeds[0];
            return new(path, CompatibilityStatus.CannotPatch,
                $"needs {n.Version} for {string.Join(", ", n.Symbols.Take(3))}, which {systemLib} lacks; only the {MarkerSymbol} marker can be bound weakly. Use a distribution whose libstdc++ has {n.Version} (e.g. Ubuntu 24.04).");
        }

        if (write)
        {
            string tmp = path + ".patching";
            File.Copy(path, tmp, overwrite: true);
            using (var fs = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite))
            {
                foreach (var n in strong)
                {
                    var buf = new byte[2];
                    fs.Position = n.FlagsOffset;
                    fs.ReadExactly(buf);
                    ushort flags = (ushort)(BitConverter.ToUInt16(buf) | ElfVersionInfo.VerFlagWeak);
                    fs.Position = n.FlagsOffset;
                    fs.Write(BitConverter.GetBytes(flags));
                }
            }
            File.Move(tmp, path, overwrite: true);
        }
        string versions = string.Join(", ", strong.Select(n => n.Version));
        return new(path, write ? CompatibilityStatus.Patched : CompatibilityStatus.NeedsPatch,
            write
                ? $"marked the need for {versions} weak (only {MarkerSymbol}, never called, uses it; {systemLib} lacks it)."
                : $"needs {versions}, which {systemLib} lacks; run the setup step (dotnet run --project lib/NotebookStyle.Setup) to mark it weak.");
    }
}
