namespace NotebookStyle.Weights;

/// <summary>The file is not a weight file of the expected format (wrong magic, unreadable header, broken layout).</summary>
public sealed class WeightsFormatException : NotebookStyleException
{
    /// <summary>Creates the error.</summary>
    public WeightsFormatException(string message) : base(message) { }

    /// <summary>Creates the error with the reader's low-level cause.</summary>
    public WeightsFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The file ends before the data its own header promises: an interrupted copy or download.</summary>
public sealed class WeightsTruncatedException : NotebookStyleException
{
    /// <summary>Creates the error.</summary>
    public WeightsTruncatedException(string message) : base(message) { }

    /// <summary>Creates the error with the reader's low-level cause.</summary>
    public WeightsTruncatedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The file is readable but does not hold this architecture's parameters: a tensor is missing, unexpected, of another
/// shape or of a non-floating dtype. <see cref="Name"/> is the first mismatch found.
/// </summary>
public sealed class WeightsMismatchException(string name, string message) : NotebookStyleException(message)
{
    /// <summary>The tensor or layer name of the first mismatch, as the file or the architecture spells it.</summary>
    public string Name { get; } = name;
}

/// <summary>A file's hash differs from the one its source declares; the file has been removed and nothing was served.</summary>
public sealed class HashMismatchException(string path, WeightHash expected, string actual, string message)
    : NotebookStyleException(message)
{
    /// <summary>Where the file was (it has been deleted).</summary>
    public string Path { get; } = path;

    /// <summary>The hash the source declares.</summary>
    public WeightHash Expected { get; } = expected;

    /// <summary>The file's actual hash (full hex digest).</summary>
    public string Actual { get; } = actual;
}

/// <summary>
/// The weights are neither cached nor downloadable (no network, server error). The message names the URL and the exact
/// path where a manually downloaded copy must be put.
/// </summary>
public sealed class WeightsUnavailableException : NotebookStyleException
{
    /// <summary>Creates the error.</summary>
    public WeightsUnavailableException(string message) : base(message) { }

    /// <summary>Creates the error with the network's low-level cause.</summary>
    public WeightsUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A download stopped part-way. What arrived is kept under a <c>.part</c> name that is never served; the next fetch
/// resumes from it (or restarts when the server cannot resume).
/// </summary>
public sealed class DownloadInterruptedException(string message, Exception inner) : NotebookStyleException(message, inner);

/// <summary>A local weight file whose preprocessing cannot be told from its name or format: the caller must say which.</summary>
public sealed class PreprocessingRequiredException(string message) : NotebookStyleException(message);
