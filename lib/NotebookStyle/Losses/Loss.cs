using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// One term of the objective. Each loss owns its precomputed target (computed once per run, never per
/// evaluation) and returns its weighted value as a scalar tensor.
/// </summary>
public abstract class Loss : IDisposable
{
    /// <summary>The term this loss adds to: <c>content</c>, <c>style</c> or <c>tv</c>.</summary>
    public abstract string Term { get; }

    /// <summary>The tapped layer it reads (null: reads the image).</summary>
    public virtual string? Layer => null;

    /// <summary>The weight it is multiplied by.</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>The weighted loss for an RGB [0, 1] image and its tapped features.</summary>
    public abstract Tensor Compute(Tensor image, IReadOnlyDictionary<string, Tensor> features);

    /// <summary>Releases the target.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
