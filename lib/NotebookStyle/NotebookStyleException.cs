namespace NotebookStyle;

/// <summary>
/// Base of every error the library raises on purpose: bad input, missing backends, non-finite losses.
/// Front ends print <see cref="Exception.Message"/> as one line and never a stack trace; so does
/// <see cref="ToString"/>, which is what a notebook kernel shows for an exception a cell throws — the reader gets the
/// error's name and what to do, not a wall of frames. <c>NOTEBOOKSTYLE_TRACE=1</c> brings the full text back.
/// </summary>
public class NotebookStyleException : Exception
{
    /// <summary>Creates the error with a message meant for the user.</summary>
    public NotebookStyleException(string message) : base(message) { }

    /// <summary>Creates the error with a message meant for the user and the low-level cause.</summary>
    public NotebookStyleException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Environment variable that makes <see cref="ToString"/> include the stack trace and inner exceptions.</summary>
    public const string TraceVariable = "NOTEBOOKSTYLE_TRACE";

    /// <summary>The error's name and message; with <see cref="TraceVariable"/>=1, the usual full text.</summary>
    public override string ToString() =>
        Environment.GetEnvironmentVariable(TraceVariable) == "1" ? base.ToString() : $"{GetType().Name}: {Message}";
}
