using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>A mask's positions above 0 in one window of a layer and its values there.</summary>
/// <param name="Index">int64 indices into the window's positions (row-major); null: every position.</param>
/// <param name="Weights">The mask's values at those positions.</param>
/// <param name="Mass">Σ m over the window.</param>
public sealed record MaskWindow(Tensor? Index, Tensor Weights, double Mass);
