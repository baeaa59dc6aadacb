namespace NotebookStyle.Backend;

/// <summary>TorchSharp's native libraries could not be loaded; the message names the real cause.</summary>
public sealed class TorchBackendException(string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new InvalidOperationException(message));
