namespace NotebookStyle.Notebooks;

/// <summary>The notebook session could not be prepared (a package reference failed, a bad environment variable).</summary>
public sealed class NotebookSetupException(string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new InvalidOperationException(message));
