using static TorchSharp.torch;

namespace NotebookStyle.Losses;

/// <summary>
/// A region of the content, in space and in scale, and the style (or blend of styles) it takes. Parts of the image that
/// no region covers keep the photo (only the content and TV terms act there). Scale control (Gatys et al. 2017): two
/// regions without masks, one with the coarse (deep) style layers and one with the fine (shallow) ones, take the large
/// structure of one style and the fine texture of another.
/// </summary>
/// <param name="Mask">Soft mask [1, 1, H, W] or [H, W] in [0, 1] at any size (resized to each layer); null: the whole image.</param>
/// <param name="Styles">The region's styles and their blend weights.</param>
/// <param name="Layers">The style layers (names or aliases, each with a style weight in the run's layers) this region's styles apply at; null: all.</param>
public sealed record StyleRegion(Tensor? Mask, IReadOnlyList<WeightedStyle> Styles, IReadOnlyList<string>? Layers = null);
