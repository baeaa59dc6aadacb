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

/// <summary>A local weight file whose preprocessing cannot be told from its name or format: the caller must say which.</summary>
public sealed class PreprocessingRequiredException(string message) : NotebookStyleException(message);

/// <summary>The weight sources file named by <c>NOTEBOOKSTYLE_SOURCES</c> is missing or malformed; the message names the file and the entry.</summary>
public sealed class WeightSourcesException : NotebookStyleException
{
    /// <summary>Creates the error.</summary>
    public WeightSourcesException(string message) : base(message) { }

    /// <summary>Creates the error with the low-level cause.</summary>
    public WeightSourcesException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A weights file holds NaN or infinite values; <see cref="Layer"/> names the first layer that does.</summary>
public sealed class WeightsNonFiniteException(string layer, string message) : NotebookStyleException(message)
{
    /// <summary>The layer (Keras' name, e.g. <c>block1_conv1</c>).</summary>
    public string Layer { get; } = layer;
}
