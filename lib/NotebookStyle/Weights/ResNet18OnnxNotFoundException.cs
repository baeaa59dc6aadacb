namespace NotebookStyle.Weights;

/// <summary>The CNTK ResNet18 ONNX file was in none of the places looked at; the message lists them and says how to get it.</summary>
/// <param name="message">What was looked for, where, and how to get it.</param>
/// <param name="searched">The paths that were tried, in order.</param>
public sealed class ResNet18OnnxNotFoundException(string message, IReadOnlyList<string> searched) : NotebookStyleException(message)
{
    /// <summary>The paths that were tried, in order.</summary>
    public IReadOnlyList<string> Searched { get; } = searched;
}
