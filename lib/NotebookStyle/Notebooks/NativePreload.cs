using System.Runtime.InteropServices;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Loads the libtorch natives of the NuGet cache by absolute path before TorchSharp's first use in a notebook kernel.
/// TorchSharp's own search for natives in "interactive" sessions copies them into one folder and then fails to load
/// them on this kind of machine (measured with dotnet-repl 0.3.259), while loading the same files by path works. Once
/// loaded, their sonames satisfy TorchSharp's <c>DllImport("LibTorchSharp")</c>. Touches no TorchSharp type.
/// </summary>
public static class NativePreload
{
    /// <summary>What was loaded, or why nothing was (then TorchSharp's own search runs).</summary>
    /// <param name="Loaded">Absolute paths loaded, in order.</param>
    /// <param name="Note">Why nothing was loaded, or null.</param>
    public sealed record Result(IReadOnlyList<string> Loaded, string? Note);

    /// <summary>The libraries to load for the packages of <paramref name="backend"/> under <paramref name="packagesFolder"/>, in load order.</summary>
    public static IReadOnlyList<string> Plan(NotebookBackend backend, string packagesFolder, IReadOnlyDictionary<string, string> pinned)
    {
        if (!OperatingSystem.IsLinux() || backend != NotebookBackend.Cpu) return [];
        if (!pinned.TryGetValue("libtorch-cpu-linux-x64", out var libtorch) || !pinned.TryGetValue("TorchSharp", out var torchSharp)) return [];
        string natives = Path.Combine(packagesFolder, "libtorch-cpu-linux-x64", libtorch, "runtimes", "linux-x64", "native");
        string bridge = Path.Combine(packagesFolder, "torchsharp", torchSharp, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        // libtorch.so pulls libtorch_cpu, libc10 and libgomp from its own folder ($ORIGIN); the bridge then finds them loaded.
        var plan = new[] { Path.Combine(natives, "libtorch.so"), bridge };
        return plan.All(File.Exists) ? plan : [];
    }

    /// <summary>Loads the planned libraries; returns what happened (never throws for a missing or failing file).</summary>
    public static Result Preload(NotebookBackend backend)
    {
        var plan = Plan(backend, NuGetPackagesFolder(), TorchPackages.PinnedVersions);
        if (plan.Count == 0)
            return new([], backend == NotebookBackend.Cuda ? "CUDA: TorchSharp assembles and loads its own natives." : "natives not found in the NuGet cache; TorchSharp searches itself.");
        var loaded = new List<string>();
        foreach (var path in plan)
        {
            if (!NativeLibrary.TryLoad(path, out _))
                return new(loaded, $"could not load {path}; run 'dotnet run --project lib/NotebookStyle.Setup -c Release' once on Debian 12.");
            loaded.Add(path);
        }
        return new(loaded, null);
    }

    /// <summary>The global NuGet packages folder (NUGET_PACKAGES or ~/.nuget/packages).</summary>
    public static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
