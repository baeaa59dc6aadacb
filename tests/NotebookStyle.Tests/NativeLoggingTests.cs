using NotebookStyle.Backend;
using NotebookStyle.Tests.Cli;


namespace NotebookStyle.Tests;

/// <summary>
/// The quiet native layer: no libtorch warning that a user can do nothing about reaches the terminal, on any
/// processor, while the user's own <c>TORCH_CPP_LOG_LEVEL</c> wins. The CLI cases run the built CLI as a process, as
/// users run it: on a machine where NNPACK cannot start (AMD EPYC with AVX-512, for one) libtorch would otherwise print
/// "Could not initialize NNPACK!" on every convolution.
/// </summary>
public class NativeLoggingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("INFO", 0)]
    [InlineData("warning", 1)]
    [InlineData(" Error ", 2)]
    [InlineData("FATAL", 3)]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    public void LevelsParseAsPyTorchNamesThem(string text, int level) => Assert.Equal(level, NativeLogging.ParseLevel(text));

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("verbose")]
    public void UnknownLevelsAreNotGuessed(string text) => Assert.Null(NativeLogging.ParseLevel(text));

    [Fact]
    public void LoadingTheBackendTurnsNnpacksSwitchOffUnlessTheUserSetALevel()
    {
        TorchBackend.EnsureLoaded();
        Assert.True(OperatingSystem.IsLinux(), "these switches are reached through Linux's libtorch_cpu.so");
        if (Environment.GetEnvironmentVariable(NativeLogging.LogLevelVariable) is { Length: > 0 })
        {
            Assert.Equal(NativeLoggingMode.UserLevel, NativeLogging.Mode);
            return;
        }
        Assert.Equal(NativeLoggingMode.NnpackQuiet, NativeLogging.Mode);
        Assert.False(NativeLogging.NnpackEnabled);
    }

    [Fact]
    public void AskingWhetherNnpackRunsHereLeavesTheLogLevelAsItWas()
    {
        TorchBackend.EnsureLoaded();
        int? before = NativeLogging.LogLevel;
        Assert.NotNull(before);
        Assert.NotNull(NativeLogging.NnpackAvailable);
        Assert.Equal(before, NativeLogging.LogLevel);
    }

    [Fact]
    public async Task ARunPrintsNothingButItsOwnLinesOnAnyProcessor()
    {
        var (code, stdout, stderr) = await RunCli(environment: null);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.True(stderr.Length == 0, $"stderr was not empty on {CpuModel()} (NNPACK available: {NativeLogging.NnpackAvailable}):\n{stderr}");
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.True(line.StartsWith("iteration ", StringComparison.Ordinal) || line.StartsWith("wrote ", StringComparison.Ordinal),
                $"a line the CLI did not write: '{line}'");
    }

    [Fact]
    public async Task TheUsersLogLevelWinsAndShowsNnpacksWarningWhereNnpackCannotRun()
    {
        TorchBackend.EnsureLoaded();
        bool available = NativeLogging.NnpackAvailable ?? throw new InvalidOperationException("NNPACK's availability could not be asked");
        var (code, _, stderr) = await RunCli(new Dictionary<string, string> { [NativeLogging.LogLevelVariable] = "WARNING" });
        Assert.True(code == 0, $"exit {code}: {stderr}");
        bool warned = stderr.Contains("Could not initialize NNPACK", StringComparison.Ordinal);
        // Where NNPACK runs (most Intel machines) there is nothing to warn about; where it cannot, the user asked to see it.
        Assert.True(warned == !available, $"NNPACK available: {available}, warning printed: {warned} on {CpuModel()}");

        var quiet = await RunCli(new Dictionary<string, string> { [NativeLogging.LogLevelVariable] = "ERROR" });
        Assert.True(quiet.Code == 0 && quiet.Stderr.Length == 0, $"TORCH_CPP_LOG_LEVEL=ERROR: exit {quiet.Code}, stderr: {quiet.Stderr}");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunCli(IDictionary<string, string>? environment)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nstyle-native-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
            if (!env.ContainsKey(NativeLogging.LogLevelVariable)) env[NativeLogging.LogLevelVariable] = "";
            using var cli = CliProcess.Start(dir,
                ["--content", TestPaths.SharedImage("golden_gate.jpg"), "--style", TestPaths.SharedImage("starry_night.jpg"),
                 "--output", Path.Combine(dir, "out.png"), "--size", "48", "--iterations", "2", "--network", "resnet18", "--threads", "1"],
                environment: env);
            cli.FeedStdin(null);
            return await cli.Finish(Limit);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "an unknown CPU"
            : "an unknown CPU";
}

/// <summary>The machine line at the top of every benchmark report.</summary>
public class MachineReportTests
{
    [Fact]
    public void CpuInfoGivesTheFirstProcessorsModelAndFlags()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "processor\t: 0\nmodel name\t: AMD EPYC 9R14\nflags\t\t: fpu sse2 avx2 fma avx512f amx_tile\n\nprocessor\t: 1\nmodel name\t: other\nflags\t\t: fpu\n");
            var (model, flags) = MachineReport.ReadCpuInfo(path);
            Assert.Equal("AMD EPYC 9R14", model);
            Assert.Contains("avx512f", flags);
            Assert.DoesNotContain("avx512_bf16", flags);
            Assert.Equal(("unknown", 0), (MachineReport.ReadCpuInfo(path + ".missing").Model, MachineReport.ReadCpuInfo(path + ".missing").Flags.Count));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ThisMachineIsDescribedWithItsKernels()
    {
        var report = MachineReport.Read();
        Assert.True(report.LogicalCpus >= 1 && report.TorchThreads >= 1);
        Assert.NotNull(report.OneDnn);
        Assert.NotNull(report.Nnpack);
        Assert.All(report.CpuFeatures, f => Assert.Contains(f, MachineReport.FeaturesOfInterest));
        string line = report.Describe();
        Assert.Contains(report.CpuModel, line);
        Assert.Contains("NNPACK " + (report.Nnpack == true ? "available" : "unavailable"), line);
    }
}
