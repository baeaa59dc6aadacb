using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NotebookStyle.Notebooks;

/// <summary>Which TorchSharp natives a notebook kernel loads.</summary>
public enum NotebookBackend
{
    /// <summary>libtorch for the CPU.</summary>
    Cpu,
    /// <summary>libtorch for CUDA (TorchSharp-cuda-linux).</summary>
    Cuda,
}

/// <summary>
/// The package references a notebook kernel needs, at the versions pinned in Directory.Packages.props (embedded in
/// this assembly at build time), and the choice between the CPU and the CUDA build. Touches no TorchSharp type:
/// it runs before TorchSharp is loaded.
/// </summary>
public static class TorchPackages
{
    /// <summary>Packages every session loads besides TorchSharp.</summary>
    public static readonly IReadOnlyList<string> Common = ["SixLabors.ImageSharp", "Plotly.NET", "Plotly.NET.CSharp", "ScottPlot"];

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Pinned = new(() => ParsePinned(
        typeof(TorchPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "PinnedPackages")?.Value));

    /// <summary>Every pinned package and its version.</summary>
    public static IReadOnlyDictionary<string, string> PinnedVersions => Pinned.Value;

    /// <summary>Parses the <c>id=version;id=version</c> list embedded at build time.</summary>
    public static IReadOnlyDictionary<string, string> ParsePinned(string? text)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0) d[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }
        return d;
    }

    /// <summary>
    /// The backend: <see cref="NotebookEnvironment.Backend"/> when set (cpu|cuda), otherwise CUDA when an NVIDIA GPU
    /// is visible (<c>/dev/nvidia0</c> exists or <c>nvidia-smi</c> runs) on Linux, otherwise the CPU.
    /// </summary>
    /// <exception cref="NotebookSetupException">The variable holds something else.</exception>
    public static NotebookBackend Choose(IReadOnlyDictionary<string, string?>? environment = null, Func<bool>? gpuPresent = null)
    {
        string? v = NotebookEnvironment.Get(NotebookEnvironment.Backend, environment);
        if (v is not null)
            return v.ToLowerInvariant() switch
            {
                "cpu" => NotebookBackend.Cpu,
                "cuda" or "gpu" => NotebookBackend.Cuda,
                _ => throw new NotebookSetupException($"{NotebookEnvironment.Backend}='{v}' is not a backend: use cpu or cuda (or leave it unset to choose automatically)."),
            };
        return OperatingSystem.IsLinux() && (gpuPresent ?? NvidiaGpuPresent)() ? NotebookBackend.Cuda : NotebookBackend.Cpu;
    }

    /// <summary>Whether an NVIDIA GPU with a driver is visible.</summary>
    public static bool NvidiaGpuPresent()
    {
        if (File.Exists("/dev/nvidia0")) return true;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("nvidia-smi", "-L") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null) return false;
            if (!p.WaitForExit(5000)) { p.Kill(true); return false; }
            return p.ExitCode == 0 && p.StandardOutput.ReadToEnd().Contains("GPU", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>The packages (id and pinned version) a session with <paramref name="backend"/> loads, TorchSharp first.</summary>
    /// <exception cref="NotebookSetupException">A package is not pinned in this build.</exception>
    public static IReadOnlyList<(string Id, string Version)> References(NotebookBackend backend)
    {
        IEnumerable<string> torch = backend switch
        {
            NotebookBackend.Cuda => ["TorchSharp-cuda-linux"],
            _ when OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64 => ["TorchSharp", "libtorch-cpu-linux-x64"],
            // Elsewhere the meta-package (all operating systems' natives) is the one that is known to restore.
            _ => ["TorchSharp-cpu"],
        };
        return torch.Concat(Common).Select(id => (id, PinnedVersions.TryGetValue(id, out var v) ? v
            : throw new NotebookSetupException($"No version of {id} is pinned in this build of NotebookStyle (Directory.Packages.props); rebuild the library."))).ToList();
    }

    /// <summary>
    /// The <c>#r "nuget: …"</c> lines for <paramref name="backend"/>, one per line, with no comments (a trailing
    /// comment on a <c>#r</c> line hangs dotnet-repl).
    /// </summary>
    public static string Directives(NotebookBackend backend) =>
        string.Join("\n", References(backend).Select(r => $"#r \"nuget: {r.Id}, {r.Version}\""));
}
