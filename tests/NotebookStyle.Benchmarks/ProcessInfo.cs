using System.Text.RegularExpressions;

namespace NotebookStyle.Benchmarks;

/// <summary>What this process is and holds: peak and current resident memory, and the native math libraries it mapped.</summary>
internal static partial class ProcessInfo
{
    /// <summary>A field of /proc/self/status in kB (VmHWM: peak resident set; VmRSS: resident set now).</summary>
    public static long StatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(Digits().Match(line).Value);
        throw new InvalidOperationException($"/proc/self/status has no {field}.");
    }

    /// <summary>Resets VmHWM to the current resident set (Linux 4.0+), so that a later VmHWM is the peak of what follows.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>Shared libraries mapped into the process whose names mention BLAS, MKL, oneDNN or OpenMP.</summary>
    public static List<string> MathLibraries() =>
        File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].Contains(".so"))
            .Select(f => f[5])
            .Where(p => MathName().IsMatch(Path.GetFileName(p)))
            .Distinct().Order().ToList();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex("blas|lapack|mkl|dnnl|omp|torch_cpu", RegexOptions.IgnoreCase)]
    private static partial Regex MathName();
}
