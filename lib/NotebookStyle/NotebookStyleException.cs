namespace NotebookStyle;

/// <summary>
/// Base of every error the library raises on purpose: bad input, missing backends, non-finite losses.
/// Front ends print <see cref="Exception.Message"/> as one line and never a stack trace.
/// </summary>
public class NotebookStyleException : Exception
{
    /// <summary>Creates the error with a message meant for the user.</summary>
    public NotebookStyleException(string message) : base(message) { }

    /// <summary>Creates the error with a message meant for the user and the low-level cause.</summary>
    public NotebookStyleException(string message, Exception inner) : base(message, inner) { }
}
