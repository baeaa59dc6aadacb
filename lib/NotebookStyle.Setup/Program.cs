// The explicit setup step for TorchSharp on distributions whose libstdc++ predates GCC 13 (Debian 12).
// Usage: dotnet run --project lib/NotebookStyle.Setup [-- --check] [FOLDER...]
// It marks libLibTorchSharp.so's need for GLIBCXX_3.4.32 weak in the NuGet cache and in every copy under the
// folders given (default: the current directory, i.e. the repository's bin/ folders), only where the system
// libstdc++ lacks that version; elsewhere it does nothing.
// Exit codes: 0 ok or nothing to do, 1 a copy cannot be made loadable, 2 bad usage.
using NotebookStyle.Backend;

bool checkOnly = args.Contains("--check");
var roots = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
if (roots.Count == 0) roots.Add(Directory.GetCurrentDirectory());
if (args.Any(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--check"))
{
    Console.Error.WriteLine("usage: NotebookStyle.Setup [--check] [FOLDER...]");
    return 2;
}
if (!OperatingSystem.IsLinux())
{
    Console.WriteLine("setup: not Linux, nothing to do.");
    return 0;
}
string? system = LibStdCxxCompatibility.FindSystemLibStdCxx();
if (system is null)
{
    Console.Error.WriteLine("setup: no libstdc++.so.6 found; install the distribution's libstdc++6 package.");
    return 1;
}
var copies = LibStdCxxCompatibility.FindLibTorchSharpCopies(roots);
if (copies.Count == 0)
{
    Console.WriteLine($"setup: no {LibStdCxxCompatibility.LibTorchSharpFileName} found under {LibStdCxxCompatibility.NuGetPackagesFolder()}; run 'dotnet restore' first.");
    return 0;
}
int failed = 0;
foreach (string so in copies)
{
    var report = checkOnly ? LibStdCxxCompatibility.Inspect(so, system) : LibStdCxxCompatibility.Apply(so, system);
    Console.WriteLine($"setup: {report.Status}: {report.Path}: {report.Detail}");
    if (report.Status is CompatibilityStatus.CannotPatch or CompatibilityStatus.NeedsPatch) failed++;
}
return failed == 0 ? 0 : 1;
