using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// A region of the content and the style (or blend of styles) it takes. Parts of the image that no region covers keep
/// the photo (only the content and TV terms act there).
/// </summary>
/// <param name="Mask">Soft mask [1, 1, H, W] or [H, W] in [0, 1] at any size (resized to each layer); null: the whole image.</param>
/// <param name="Styles">The region's styles and their blend weights.</param>
public sealed record StyleRegion(Tensor? Mask, IReadOnlyList<WeightedStyle> Styles);
