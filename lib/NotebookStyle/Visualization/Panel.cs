using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>One picture of a sheet, with an optional caption printed under it.</summary>
/// <param name="Image">The picture (not disposed by the sheet).</param>
/// <param name="Caption">Text under the picture, shortened to its width.</param>
public sealed record Panel(Image<Rgb24> Image, string? Caption = null)
{
    /// <summary>A panel from an RGB [0, 1] tensor [1, 3, H, W] or [3, H, W].</summary>
    public static Panel Of(Tensor image, string? caption = null) => new(ImageTensor.ToImage(image), caption);
}
