using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>The outcome of a run.</summary>
/// <param name="Image">The result, RGB [0, 1], [1, 3, H, W], on the CPU (the best image so far if cancelled).</param>
/// <param name="Initial">Loss terms at the start point.</param>
/// <param name="Final">Loss terms at the returned image.</param>
/// <param name="Iterations">Iterations done.</param>
/// <param name="Evaluations">Loss-and-gradient evaluations spent.</param>
/// <param name="Elapsed">Optimisation time (targets included, loading excluded).</param>
/// <param name="Reason">Why it stopped.</param>
/// <param name="History">One report per iteration (without images), for loss curves.</param>
public sealed record StyleTransferResult(Tensor Image, LossTerms Initial, LossTerms Final, int Iterations, int Evaluations,
    TimeSpan Elapsed, StopReason Reason, IReadOnlyList<StyleTransferProgress> History) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
