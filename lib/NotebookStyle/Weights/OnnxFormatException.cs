namespace NotebookStyle.Weights;

/// <summary>A file that is not a readable ONNX model: truncated, corrupt, not protobuf, or with a tensor whose data does not match its shape.</summary>
public sealed class OnnxFormatException : NotebookStyleException
{
    /// <summary>Creates the error.</summary>
    public OnnxFormatException(string message) : base(message) { }

    /// <summary>Creates the error with the parser's own exception.</summary>
    public OnnxFormatException(string message, Exception inner) : base(message, inner) { }
}
