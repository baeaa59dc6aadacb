namespace NotebookStyle.Tests.Cli;

/// <summary>
/// Runs one <see cref="MatrixCase"/> against the built CLI in a fresh sandbox and checks what every case must hold:
/// the exit code, exactly the expected number of stderr lines (one for a refusal) holding the expected phrase, no stack
/// trace, no input or pre-existing file changed, nothing created but what the case allows, no temporary files left.
/// </summary>
internal static class BadInputMatrixRunner
{
    public static async Task Check(string name)
    {
        var c = BadInputMatrix.ByName[name];
        using var sandbox = new MatrixSandbox();
        c.Setup?.Invoke(sandbox);
        var before = sandbox.Hashes();
        var environment = new Dictionary<string, string> { ["TMPDIR"] = sandbox.At("tmp") + "/" };
        using var cli = CliProcess.Start(sandbox.Root, c.Args, c.Bash, environment, c.MaxRssMb * 1048576L);
        Task writer = Task.CompletedTask;
        if (c.Moment == SignalMoment.WhileReadingInput)
        {
            // Opening a FIFO for writing blocks until the CLI opens it for reading: then it is surely inside its input stage.
            var open = Task.Run(() => new FileStream(sandbox.At(c.Fifo), FileMode.Open, FileAccess.Write));
            await using var fifo = await open.WaitAsync(TimeSpan.FromSeconds(60));
            cli.FeedStdin(c.Stdin);
            cli.Signal(c.Signal);
            var result = await cli.Finish(TimeSpan.FromSeconds(60));
            Verify(c, sandbox, before, result, cli);
            return;
        }
        cli.FeedStdin(c.Stdin);
        if (c.Moment == SignalMoment.DuringOptimisation)
        {
            await Task.WhenAny(cli.FirstIteration, cli.Exited).WaitAsync(TimeSpan.FromSeconds(120));
            if (!cli.FirstIteration.IsCompleted)
                Assert.Fail($"[{c.Name}] ended before its first iteration: {(await cli.Finish(TimeSpan.FromSeconds(10))).Stderr}");
            c.BeforeSignal?.Invoke(sandbox);
            cli.Signal(c.Signal);
        }
        Verify(c, sandbox, before, await cli.Finish(TimeSpan.FromSeconds(120)), cli);
    }

    private static void Verify(MatrixCase c, MatrixSandbox sandbox, Dictionary<string, string> before, (int Code, string Stdout, string Stderr) result, CliProcess cli)
    {
        var (code, stdout, stderr) = result;
        string context = $"[{c.Name}] exit {code}, peak {cli.PeakRss / 1048576} MB, stderr: {stderr}";
        Assert.True(cli.MemoryExceeded is null, $"{context} — {cli.MemoryExceeded}");
        Assert.True(c.Exit == code, context);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == c.StderrLines, $"{context} — expected {c.StderrLines} stderr line(s)");
        if (c.Says.Length > 0) Assert.True(stderr.Contains(c.Says, StringComparison.OrdinalIgnoreCase), $"{context} — expected '{c.Says}'");
        // No stack trace, no .NET type name, no native backtrace (libtorch's "frame #N"), no internal error.
        foreach (string trace in new[] { "   at ", "Unhandled", "--- End of", "System.", "frame #", "Exception raised from", "please report" })
            Assert.False(stderr.Contains(trace, StringComparison.Ordinal) || stdout.Contains(trace, StringComparison.Ordinal), $"{context} — '{trace}' shows");

        var after = sandbox.Hashes();
        foreach (var (path, hash) in before)
        {
            if (c.Changes.Contains(path)) continue;
            Assert.True(after.TryGetValue(path, out var now) && now == hash, $"{context} — {path} was changed or removed");
        }
        foreach (string path in after.Keys.Except(before.Keys))
            Assert.True(c.Creates.Any(allowed => path.StartsWith(allowed, StringComparison.Ordinal)), $"{context} — {path} was created");
        foreach (string created in c.Creates)
            Assert.True(after.Keys.Any(p => p.StartsWith(created, StringComparison.Ordinal)), $"{context} — {created} was not written");
        Assert.True(c.Then?.Invoke(sandbox) is null, $"{context} — {c.Then?.Invoke(sandbox)}");
    }
}
