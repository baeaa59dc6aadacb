using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace NotebookStyle.Provisioning;

/// <summary>
/// The NuGet packages a notebook kernel restores, gathered into a folder laid out like NuGet's global packages folder
/// (<c>id-lowercase/version/</c>, with the <c>.nupkg</c> and its <c>.sha512</c>), so that <c>NUGET_PACKAGES=FOLDER</c>
/// serves them with no network. The closure is NuGet's own: a small probe project (net10.0) referencing the roots is
/// restored normally and its <c>obj/project.assets.json</c> lists every package; each is then copied from the global
/// packages folder the restore used.
/// </summary>
public static class WorkshopPackages
{
    /// <summary>
    /// Restores <paramref name="roots"/> (with <paramref name="feed"/> as an extra source when given) and copies every
    /// package of the closure into <paramref name="destination"/>; a package already there whose <c>.nupkg</c> matches its
    /// <c>.sha512</c> is kept.
    /// </summary>
    /// <exception cref="WorkshopPackagesException">The restore failed or timed out, or a package is not where it restored to.</exception>
    public static IReadOnlyList<WorkshopPackage> Gather(IReadOnlyList<(string Id, string Version)> roots, string destination, string? feed,
        TimeSpan timeout, Action<string>? log = null)
    {
        if (roots.Count == 0) throw new WorkshopPackagesException("No packages to gather.");
        var probe = Directory.CreateTempSubdirectory("nstyle-workshop-probe-");
        try
        {
            string assets = Restore(roots, feed, probe.FullName, timeout, log);
            var (packagesFolder, libraries) = ReadAssets(assets);
            Directory.CreateDirectory(destination);
            var result = new List<WorkshopPackage>();
            foreach (var (id, version, relative) in libraries)
            {
                string source = Path.Combine(packagesFolder, relative), target = Path.Combine(destination, relative);
                if (IsVerified(target))
                {
                    result.Add(new(id, version, target, false));
                    continue;
                }
                if (!IsVerified(source))
                    throw new WorkshopPackagesException($"{id} {version} is not complete in {source} after the restore (no .nupkg matching its .sha512).");
                log?.Invoke($"copying {id} {version}");
                try
                {
                    CopyFolder(source, target);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new WorkshopPackagesException($"Could not copy {id} {version} into {target}: {e.Message}", e);
                }
                if (!IsVerified(target)) throw new WorkshopPackagesException($"The copy of {id} {version} in {target} does not verify.");
                result.Add(new(id, version, target, true));
            }
            return result;
        }
        finally
        {
            probe.Delete(recursive: true);
        }
    }

    /// <summary>Whether <paramref name="packageFolder"/> holds a <c>.nupkg</c> whose SHA-512 is the one in its <c>.nupkg.sha512</c>.</summary>
    public static bool IsVerified(string packageFolder)
    {
        if (!Directory.Exists(packageFolder)) return false;
        var nupkg = Directory.GetFiles(packageFolder, "*.nupkg").SingleOrDefault();
        if (nupkg is null || !File.Exists(nupkg + ".sha512")) return false;
        using var stream = File.OpenRead(nupkg);
        string actual = Convert.ToBase64String(SHA512.HashData(stream));
        return string.Equals(actual, File.ReadAllText(nupkg + ".sha512").Trim(), StringComparison.Ordinal);
    }

    /// <summary>The packages of a feed folder named <c>ID.VERSION.nupkg</c>: the highest version of <paramref name="id"/>, or null.</summary>
    public static string? LatestInFeed(string feed, string id)
    {
        if (!Directory.Exists(feed)) return null;
        var versions = Directory.GetFiles(feed, id + ".*.nupkg")
            .Select(Path.GetFileName)
            .Where(f => !f!.EndsWith(".symbols.nupkg", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".snupkg", StringComparison.OrdinalIgnoreCase))
            .Select(f => f![(id.Length + 1)..^".nupkg".Length])
            .Where(v => v.Length > 0 && char.IsAsciiDigit(v[0]))
            .ToList();
        return versions.OrderBy(v => Version.TryParse(v.Split('-')[0], out var parsed) ? parsed : new Version(0, 0))
            .ThenBy(v => v, StringComparer.Ordinal).LastOrDefault();
    }

    private static string Restore(IReadOnlyList<(string Id, string Version)> roots, string? feed, string folder, TimeSpan timeout, Action<string>? log)
    {
        // Empty Directory.Build.* and Directory.Packages.props stop MSBuild from picking up a parent folder's settings.
        foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(folder, name), "<Project />\n");
        var project = new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                new XElement("TargetFramework", "net10.0"),
                new XElement("ManagePackageVersionsCentrally", "false"),
                feed is null ? null : new XElement("RestoreAdditionalProjectSources", Path.GetFullPath(feed))),
            new XElement("ItemGroup", roots.Select(r => new XElement("PackageReference",
                new XAttribute("Include", r.Id), new XAttribute("Version", $"[{r.Version}]")))));
        string csproj = Path.Combine(folder, "probe.csproj");
        project.Save(csproj);

        log?.Invoke($"restoring {string.Join(", ", roots.Select(r => $"{r.Id} {r.Version}"))}");
        var start = new ProcessStartInfo(DotnetHost(), ["restore", csproj, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new WorkshopPackagesException($"Could not start {start.FileName}.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new WorkshopPackagesException($"The package restore took longer than {timeout.TotalMinutes:F0} minutes and was stopped.");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string errors;
            lock (output) errors = string.Join(" ", output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3));
            throw new WorkshopPackagesException($"The package restore failed (exit {process.ExitCode}): {(errors.Length > 0 ? errors : "no error text")}");
        }
        string assets = Path.Combine(folder, "obj", "project.assets.json");
        return File.Exists(assets) ? assets : throw new WorkshopPackagesException($"The restore wrote no {assets}.");
    }

    // The global packages folder the restore used, and each package library: id, version, relative folder.
    private static (string PackagesFolder, IReadOnlyList<(string Id, string Version, string Path)> Libraries) ReadAssets(string assetsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(assetsPath));
        var root = document.RootElement;
        string packagesFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = new List<(string, string, string)>();
        foreach (var library in root.GetProperty("libraries").EnumerateObject())
        {
            if (library.Value.GetProperty("type").GetString() != "package") continue;
            int slash = library.Name.IndexOf('/');
            string relative = library.Value.GetProperty("path").GetString()!;
            libraries.Add((library.Name[..slash], library.Name[(slash + 1)..], relative.Replace('/', Path.DirectorySeparatorChar)));
        }
        return (packagesFolder, libraries);
    }

    // Copied beside the target first and renamed into place, so an interrupted copy never looks like a package.
    private static void CopyFolder(string source, string target)
    {
        string temporary = target + ".copying";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(temporary, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.Move(temporary, target);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) is "dotnet" ? Environment.ProcessPath! : "dotnet";
}
