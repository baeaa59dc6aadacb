using System.Diagnostics;

namespace NotebookStyle.Tests.Weights;

/// <summary>
/// The weight files written by the reference writers (h5py, torch.save) via tests/reference/make_weight_fixtures.py,
/// generated once per test run into a temporary folder (~400 MB, removed at exit): they have full VGG19 shapes and are
/// too large to commit.
/// </summary>
public static class ReferenceFixtures
{
    /// <summary>Debian's interpreter, which has python3-torch and python3-h5py (the pyenv python3 on PATH has not).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Set to 1 (CI) to fail instead of skip when the reference writers are missing.</summary>
    public const string RequireVariable = "NOTEBOOKSTYLE_REQUIRE_REFERENCE";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        var (code, output) = Run(Python, "-c \"import h5py, torch, numpy\"", TimeSpan.FromSeconds(60));
        return code == 0 ? null : "python3-torch, python3-h5py or python3-numpy is not installed: " + output.Trim();
    });

    private static readonly Lazy<string> Folder = new(Generate);

    /// <summary>Why the reference writers cannot run here, or null when they can.</summary>
    public static string? Unavailable => Missing.Value;

    /// <summary>The path of a generated fixture file.</summary>
    public static string PathOf(string name) => Path.Combine(Folder.Value, name);

    /// <summary>tests/reference/make_weight_fixtures.py, found by walking up from the test binaries.</summary>
    public static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "reference", "make_weight_fixtures.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tests/reference/make_weight_fixtures.py not found above " + AppContext.BaseDirectory);
    }

    private static string Generate()
    {
        if (Unavailable is { } why) throw new InvalidOperationException("Reference writers unavailable: " + why);
        RemoveStale();
        var dir = Path.Combine(Path.GetTempPath(), Prefix + Environment.ProcessId);
        // The test host is often ended without ProcessExit; RemoveStale catches what this misses.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        var (code, output) = Run(Python, $"\"{Script()}\" \"{dir}\"", TimeSpan.FromMinutes(5));
        if (code != 0) throw new InvalidOperationException("make_weight_fixtures.py failed:\n" + output);
        return dir;
    }

    private const string Prefix = "notebookstyle-weight-fixtures-";

    /// <summary>Deletes fixture folders of earlier test processes that no longer run.</summary>
    private static void RemoveStale()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)[Prefix.Length..], out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                using var process = Process.GetProcessById(pid);
                continue; // still running
            }
            catch (ArgumentException)
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>A scratch path inside the fixture folder (removed with it).</summary>
    public static string Scratch(string name) => Path.Combine(Folder.Value, $"scratch-{Guid.NewGuid():N}-{name}");

    private static (int Code, string Output) Run(string file, string arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["OMP_NUM_THREADS"] = "2";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that needs the reference writers: skipped where they are missing, unless CI requires them.</summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the reference writers are unavailable and not required.</summary>
    public ReferenceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(ReferenceFixtures.RequireVariable) == "1") return;
        if (ReferenceFixtures.Unavailable is { } why) Skip = why + $" (apt-get install python3-torch python3-h5py python3-numpy; {ReferenceFixtures.RequireVariable}=1 makes this a failure)";
    }
}

/// <summary>A theory that needs the reference writers (see <see cref="ReferenceFactAttribute"/>).</summary>
public sealed class ReferenceTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the reference writers are unavailable and not required.</summary>
    public ReferenceTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(ReferenceFixtures.RequireVariable) == "1") return;
        if (ReferenceFixtures.Unavailable is { } why) Skip = why + $" ({ReferenceFixtures.RequireVariable}=1 makes this a failure)";
    }
}
