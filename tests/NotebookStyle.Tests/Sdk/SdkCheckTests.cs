using System.Text.RegularExpressions;

namespace NotebookStyle.Tests.Sdk;

/// <summary>
/// lib/check-sdk.sh, run as a process with a fake <c>dotnet</c> first (and alone) on PATH: on a machine that has only a
/// newer SDK (a newcomer who installed .NET 11) the README's two commands stop before any dotnet command with one line
/// naming SDK 10 and how to add it beside the newer one; with SDK 10 present the check says nothing.
/// </summary>
public partial class SdkCheckTests
{
    private const string Check = "bash lib/check-sdk.sh";

    [LinuxFact]
    public void OnlySdk11SaysInOneLineWhatIsMissingAndHowToAddSdk10()
    {
        using var path = new FakeDotnetPath(["11.0.100 [/opt/dotnet/sdk]"]);
        var (exit, stdout, stderr) = path.Run(Check);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        string line = Assert.Single(Lines(stderr));
        Assert.StartsWith("check-sdk: the .NET SDK 10.0 is missing: `dotnet --list-sdks` lists only 11.0.100,", line);
        Assert.Contains("global.json pins 10.0.100 (rollForward latestFeature)", line);
        Assert.Contains("Install SDK 10.0 beside it, both can stay installed:", line);
        Assert.Contains($"./dotnet-install.sh --channel 10.0 --install-dir {path.Bin} ", line);
        Assert.Contains("dotnet-sdk-10.0", line);
        Assert.Equal(["--list-sdks"], path.Calls);
    }

    [LinuxFact]
    public void SeveralNewerSdksAreAllNamed()
    {
        using var path = new FakeDotnetPath(["11.0.100 [/opt/dotnet/sdk]", "12.0.100-preview.1.27001.1 [/opt/dotnet/sdk]"]);
        var (exit, _, stderr) = path.Run(Check);

        Assert.Equal(1, exit);
        Assert.Contains("lists only 11.0.100, 12.0.100-preview.1.27001.1,", Assert.Single(Lines(stderr)));
    }

    [LinuxTheory]
    [InlineData("10.0.100 [/usr/share/dotnet/sdk]")]
    [InlineData("10.0.401 [/usr/share/dotnet/sdk]")]
    public void Sdk10BesideSdk11PassesSilently(string sdk10)
    {
        using var path = new FakeDotnetPath(["9.0.305 [/usr/share/dotnet/sdk]", sdk10, "11.0.100 [/usr/share/dotnet/sdk]"]);
        var (exit, stdout, stderr) = path.Run(Check);

        Assert.True(exit == 0, stderr);
        Assert.Equal("", stdout + stderr);
    }

    [LinuxTheory]
    [InlineData("9.0.305 [/usr/share/dotnet/sdk]", "lists only 9.0.305,")] // older than the pin
    [InlineData("10.0.099 [/usr/share/dotnet/sdk]", "lists only 10.0.099,")] // below the pinned feature band
    [InlineData(null, "lists no SDK")] // a runtime-only install
    public void AnSdkGlobalJsonRefusesIsNotEnough(string? listed, string expected)
    {
        using var path = new FakeDotnetPath(listed is null ? [] : [listed]);
        var (exit, _, stderr) = path.Run(Check);

        Assert.Equal(1, exit);
        Assert.Contains(expected, Assert.Single(Lines(stderr)));
    }

    [LinuxFact]
    public void NoDotnetAtAllSaysSoInOneLine()
    {
        using var path = new FakeDotnetPath(listSdks: null);
        var (exit, stdout, stderr) = path.Run(Check);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        string line = Assert.Single(Lines(stderr));
        Assert.StartsWith("check-sdk: the .NET SDK 10.0 is missing: there is no `dotnet` on PATH", line);
        Assert.Contains("./dotnet-install.sh --channel 10.0", line);
        Assert.Contains("dotnet-sdk-10.0", line);
    }

    [LinuxFact]
    public void TheRunCommandStopsAtTheCheckBeforeAnyDotnetCommand()
    {
        using var path = new FakeDotnetPath(["11.0.100 [/opt/dotnet/sdk]"]);
        var (exit, stdout, stderr) = path.Run("bash notebooks/run.sh --quick");

        Assert.NotEqual(0, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("check-sdk: the .NET SDK 10.0 is missing", Assert.Single(Lines(stderr)));
        Assert.Equal(["--list-sdks"], path.Calls);
    }

    [LinuxFact]
    public void TheReadmeTestCommandStartsWithTheCheck()
    {
        string command = ReadmeCommand("test");
        Assert.StartsWith("lib/check-sdk.sh && ", command);

        using var path = new FakeDotnetPath(["11.0.100 [/opt/dotnet/sdk]"]);
        var (exit, _, stderr) = path.Run(command);

        Assert.NotEqual(0, exit);
        Assert.StartsWith("check-sdk: the .NET SDK 10.0 is missing", Assert.Single(Lines(stderr)));
        Assert.Equal(["--list-sdks"], path.Calls);
    }

    [LinuxFact]
    public void CiAndTheRunCommandCallTheCheckFirst()
    {
        foreach (string script in new[] { "notebooks/run.sh", ".ci/run" })
        {
            var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, script));
            int check = Array.FindIndex(lines, l => l.Trim() == Check);
            int firstDotnet = Array.FindIndex(lines, l => DotnetCommand().IsMatch(l));
            Assert.True(check >= 0, $"{script} does not run `{Check}`");
            Assert.True(check < firstDotnet, $"{script} runs dotnet (line {firstDotnet + 1}) before the SDK check (line {check + 1})");
        }
    }

    [LinuxFact]
    public void ThisMachinePassesTheCheck()
    {
        // CI and the devcontainer have SDK 10: the real dotnet passes, silently.
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["lib/check-sdk.sh"])
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the check did not finish within 60 s");
        Assert.True(process.ExitCode == 0, output);
        Assert.Equal("", output);
    }

    /// <summary>The line after "# NAME:" in the README's "The two commands" code block.</summary>
    private static string ReadmeCommand(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "README.md"));
        int at = Array.FindIndex(lines, l => l.StartsWith($"# {name}:", StringComparison.Ordinal));
        Assert.True(at >= 0 && at + 1 < lines.Length, $"the README has no \"# {name}:\" command");
        return lines[at + 1].Trim();
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^\s*(exec\s+)?dotnet\s")]
    private static partial Regex DotnetCommand();
}
