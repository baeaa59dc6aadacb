using System.Runtime.InteropServices;

namespace NotebookStyle.Cli;

/// <summary>
/// Ctrl+C (SIGINT), SIGTERM (what <c>timeout</c>, <c>docker stop</c> and job schedulers send) and SIGHUP (a closed
/// terminal or SSH session: the commonest end of a long poster run), handled alike. Before
/// the optimisation starts there is nothing to keep: the process says so in one line and exits at once (130 or 143),
/// even while blocked reading a pipe or loading the network. During the optimisation the run stops at the next
/// evaluation and the best image so far is written. While the result is being written a signal waits for that to end.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private enum Phase { Preparing, Optimising, Finishing }

    private readonly TextWriter _stderr;
    private readonly string _beforeStart;
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Lock _lock = new();
    private Phase _phase = Phase.Preparing;

    /// <summary>Handles the three signals; <paramref name="beforeStart"/> ends the line a signal before the optimisation prints.</summary>
    public StopSignals(TextWriter stderr, string beforeStart = "before the optimisation started; nothing was written")
    {
        _stderr = stderr;
        _beforeStart = beforeStart;
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, Handle))];
    }

    /// <summary>Cancelled by the first signal during the optimisation.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The signal that stopped the run (SIGINT, SIGTERM or SIGHUP), if one did.</summary>
    public PosixSignal? Received { get; private set; }

    /// <summary>130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP (128 + the signal's number, as shells report it).</summary>
    public static int ExitCodeFor(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => ExitCodes.Terminated,
        PosixSignal.SIGHUP => ExitCodes.HungUp,
        _ => ExitCodes.Interrupted,
    };

    /// <summary>A name for messages.</summary>
    public static string Describe(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => "SIGTERM",
        PosixSignal.SIGHUP => "SIGHUP (the terminal closed)",
        _ => "Ctrl+C (SIGINT)",
    };

    /// <summary>From now on a signal stops the optimisation instead of the process.</summary>
    public void OptimisationStarts()
    {
        lock (_lock) _phase = Phase.Optimising;
    }

    /// <summary>From now on a signal is only recorded: the result is being written.</summary>
    public void OptimisationEnded()
    {
        lock (_lock) _phase = Phase.Finishing;
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // never the runtime's default (terminate without a word)
        lock (_lock)
        {
            Received ??= context.Signal;
            if (_phase == Phase.Optimising) _cancel.Cancel();
            if (_phase != Phase.Preparing) return;
            _stderr.WriteLine($"cancelled by {Describe(context.Signal)} {_beforeStart}.");
            _stderr.Flush();
            Environment.Exit(ExitCodeFor(context.Signal));
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
