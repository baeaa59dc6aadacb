using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// The loss became NaN or infinite. The run stops; <see cref="LastGoodImage"/> (RGB [0, 1], CPU) holds the best
/// image seen before it. Usual causes: a learning rate or weights too large, or a broken weights file.
/// </summary>
public sealed class NonFiniteLossException(string message, Tensor lastGoodImage, int iteration)
    : NotebookStyleException(message)
{
    /// <summary>The best image before the loss went non-finite; the catcher owns it.</summary>
    public Tensor LastGoodImage { get; } = lastGoodImage;

    /// <summary>The iteration at which it happened.</summary>
    public int Iteration { get; } = iteration;
}
