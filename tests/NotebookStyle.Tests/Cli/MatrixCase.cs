namespace NotebookStyle.Tests.Cli;

/// <summary>When a signal case sends its signal.</summary>
public enum SignalMoment
{
    /// <summary>No signal.</summary>
    None,

    /// <summary>Once the CLI has opened the case's <see cref="MatrixCase.Fifo"/> for reading (before the network loads): the test is the writer.</summary>
    WhileReadingInput,

    /// <summary>After the first "iteration" progress line.</summary>
    DuringOptimisation,
}

/// <summary>
/// One bad-input case: arguments (run in the sandbox folder), the exit code, a phrase the one stderr line must hold,
/// and what may appear or change in the sandbox. Everything else there must be byte-for-byte unchanged.
/// </summary>
/// <param name="Name">Unique name, the theory's data.</param>
/// <param name="Exit">Expected exit code.</param>
/// <param name="Says">Expected in stderr (case-insensitive); empty when stderr must be empty.</param>
/// <param name="Args">The CLI's arguments.</param>
public sealed record MatrixCase(string Name, int Exit, string Says, params string[] Args)
{
    /// <summary>Lines stderr must have (1 for every refusal; 0 for a quiet success).</summary>
    public int StderrLines { get; init; } = 1;

    /// <summary>Bytes for stdin; null closes it at once.</summary>
    public byte[]? Stdin { get; init; }

    /// <summary>Run this bash line instead (<c>$NSTYLE</c> is the CLI), for process substitution.</summary>
    public string? Bash { get; init; }

    /// <summary>1 (SIGHUP), 2 (SIGINT) or 15 (SIGTERM), sent at <see cref="Moment"/>.</summary>
    public int Signal { get; init; }

    /// <summary>When <see cref="Signal"/> is sent.</summary>
    public SignalMoment Moment { get; init; }

    /// <summary>Done just before the signal (e.g. make the output folder unwritable).</summary>
    public Action<MatrixSandbox>? BeforeSignal { get; init; }

    /// <summary>Relative paths (prefixes) of files the run may create; each one listed must exist afterwards.</summary>
    public string[] Creates { get; init; } = [];

    /// <summary>Pre-existing files the run may change (e.g. the target of an output link).</summary>
    public string[] Changes { get; init; } = [];

    /// <summary>A last check on the sandbox: null when fine, else what is wrong.</summary>
    public Func<MatrixSandbox, string?>? Then { get; init; }

    /// <summary>Prepares the sandbox before it is hashed (a fixture only this case needs, made inside the sandbox).</summary>
    public Action<MatrixSandbox>? Setup { get; init; }

    /// <summary>The FIFO (in the sandbox) the test writes to for <see cref="SignalMoment.WhileReadingInput"/>.</summary>
    public string Fifo { get; init; } = "fifo-in.jpg";

    /// <summary>
    /// The most resident memory (MB) the CLI's process tree may reach; past it the process is killed and the case fails,
    /// so a regression to unbounded memory cannot take the machine.
    /// </summary>
    public int MaxRssMb { get; init; } = 1536;

    /// <summary>True when the case gets as far as loading the network (slower: seconds, not a fraction of one).</summary>
    public bool Runs { get; init; }

    public override string ToString() => Name;
}
