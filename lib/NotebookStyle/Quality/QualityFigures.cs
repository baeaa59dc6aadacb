using NotebookStyle.Optimization;
using static TorchSharp.torch;

namespace NotebookStyle.Quality;

/// <summary>Network-independent figures of a result, plus its final losses.</summary>
/// <param name="Ssim">SSIM of luminance between result and content (structure kept: 1).</param>
/// <param name="ColorRatio">Sliced-Wasserstein colour distance to the style, relative to the content's (0 = the style's palette, 1 = no colour moved).</param>
/// <param name="StyleLoss">Final style term.</param>
/// <param name="ContentLoss">Final content term.</param>
public sealed record QualityFigures(double Ssim, double ColorRatio, double StyleLoss, double ContentLoss)
{
    /// <summary>Measures <paramref name="result"/> against the content and style images it came from.</summary>
    public static QualityFigures Measure(StyleTransferResult result, Tensor content, Tensor style) => new(
        Quality.Ssim.Luminance(result.Image, content),
        SlicedWasserstein.ColorRatio(result.Image, content, style),
        result.Final["style"], result.Final["content"]);
}
