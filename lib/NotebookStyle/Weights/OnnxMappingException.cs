namespace NotebookStyle.Weights;

/// <summary>An ONNX graph whose structure, names, shapes or types do not fit the network it is loaded into; the message names the first mismatch.</summary>
public sealed class OnnxMappingException(string message) : NotebookStyleException(message);
