namespace NotebookStyle.Backend;

/// <summary>CUDA was asked for explicitly but this process has no CUDA device or no CUDA build of libtorch.</summary>
public sealed class CudaUnavailableException(string message) : NotebookStyleException(message);
