using System.Diagnostics;

namespace NotebookStyle.Tests.Gpu;

/// <summary>
/// Choosing the natives with -p:TorchBackend: asking for CUDA where no source serves TorchSharp-cuda-linux fails
/// with a message that says what to do, and a misspelt backend is refused. Restores a throw-away project that
/// imports lib/TorchNatives.targets, against an empty local source and an empty package folder (offline, seconds).
/// </summary>
public class TorchBackendRestoreTests
{
    [Fact]
    public void CudaWhereTheFeedLacksItFailsWithAnExplanation()
    {
        var (exit, output) = RestoreProbe("cuda");
        Assert.NotEqual(0, exit);
        Assert.Contains("NU1101", output);
        Assert.Contains("TorchSharp-cuda-linux", output);
        // The explanation printed before NuGet's error: which package and version, and the two ways out.
        Assert.Contains("TorchBackend=cuda: CudaProbe needs TorchSharp-cuda-linux 0.107.0", output);
        Assert.Contains("no configured source serves that package", output);
        Assert.Contains("-p:TorchBackend=cpu", output);
    }

    [Fact]
    public void UnknownBackendIsRefused()
    {
        var (exit, output) = RestoreProbe("rocm");
        Assert.NotEqual(0, exit);
        Assert.Contains("TorchBackend must be cpu or cuda, got 'rocm'", output);
    }

    private static (int Exit, string Output) RestoreProbe(string backend)
    {
        string dir = Path.Combine(Path.GetTempPath(), "notebookstyle-backend-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "feed"));
        try
        {
            string repo = TestPaths.RepoRoot;
            File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"),
                $"""<Project><Import Project="{Path.Combine(repo, "Directory.Packages.props")}" /></Project>""");
            File.WriteAllText(Path.Combine(dir, "CudaProbe.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <Import Project="{Path.Combine(repo, "lib", "TorchNatives.targets")}" />
                </Project>
                """);
            var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in new[] { "restore", "CudaProbe.csproj", $"-p:TorchBackend={backend}", "--source", Path.Combine(dir, "feed"),
                         "--packages", Path.Combine(dir, "packages"), "-nodeReuse:false", "-v", "minimal" })
                psi.ArgumentList.Add(a);
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["DOTNET_NOLOGO"] = "1";
            psi.Environment["MSBUILDTERMINALLOGGER"] = "off";
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException("dotnet restore did not finish in 120 s"); }
            return (p.ExitCode, stdout + stderr.Result);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
