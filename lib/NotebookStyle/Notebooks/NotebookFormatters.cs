using Microsoft.DotNet.Interactive.Formatting;
using NotebookStyle.Imaging;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Formatters that make the library's values display as pictures: <c>Image&lt;Rgb24&gt;</c> as <c>image/png</c>,
/// image-like tensors as an HTML picture (other tensors as numbers), figures as HTML (static picture replaced by the
/// Plotly chart) plus <c>image/png</c>.
/// </summary>
public static class NotebookFormatters
{
    /// <summary>Smallest H·W for which an RGB tensor is shown as a picture rather than as numbers.</summary>
    public const int MinImagePixels = 64;

    /// <summary>Registers every formatter (idempotent: later registrations replace earlier ones).</summary>
    public static void Register(PlotlyScriptMode plotly)
    {
        Formatter.Register<Image<Rgb24>>((image, context) =>
        {
            context.Writer.Write(Png.Base64(image));
            return true;
        }, "image/png");
        Formatter.SetPreferredMimeTypesFor(typeof(Image<Rgb24>), "image/png");

        // Tensors: the preferred mime type is chosen per type, not per value, and an image/png formatter that declines
        // leaves an empty image/png output. So tensors go out as HTML: a picture when image-like, the numbers otherwise.
        Formatter.Register<Tensor>((t, context) =>
        {
            context.Writer.Write(TensorHtml(t));
            return true;
        }, "text/html");
        Formatter.Register<Tensor>((t, context) =>
        {
            context.Writer.Write(Describe(t));
            return true;
        }, "text/plain");
        Formatter.SetPreferredMimeTypesFor(typeof(Tensor), "text/html", "text/plain");

        Formatter.Register<Figure>((figure, context) =>
        {
            context.Writer.Write(PlotlyHtml.Render(figure, plotly));
            return true;
        }, "text/html");
        Formatter.Register<Figure>((figure, context) =>
        {
            using var image = figure.ToImage();
            context.Writer.Write(Png.Base64(image));
            return true;
        }, "image/png");
        Formatter.Register<HtmlOutput>((html, context) =>
        {
            context.Writer.Write(html.Html);
            return true;
        }, "text/html");
        Formatter.SetPreferredMimeTypesFor(typeof(HtmlOutput), "text/html");

        foreach (var type in new[] { typeof(Figure), typeof(LineFigure), typeof(BarFigure), typeof(HeatmapFigure) })
            Formatter.SetPreferredMimeTypesFor(type, "text/html", "image/png");
    }

    /// <summary>
    /// Whether a tensor is shown as a picture: floating point, [1, 3, H, W] / [3, H, W] (RGB) or [1, 1, H, W] / [1, H, W]
    /// (grey), with at least <see cref="MinImagePixels"/> pixels. Values outside [0, 1] are clamped.
    /// </summary>
    public static bool IsImageLike(Tensor t)
    {
        if (!t.is_floating_point()) return false;
        long[] s = t.shape;
        bool rgbOrGrey = s.Length switch
        {
            4 => s[0] == 1 && s[1] is 1 or 3,
            3 => s[0] is 1 or 3,
            _ => false,
        };
        return rgbOrGrey && s[^1] * s[^2] >= MinImagePixels;
    }

    /// <summary>A short text for a tensor: shape, type, device, range, and the values when few.</summary>
    public static string Describe(Tensor t)
    {
        string head = $"tensor [{string.Join(", ", t.shape)}] {t.dtype} on {t.device}";
        if (t.numel() == 0) return head;
        using var scope = NewDisposeScope();
        var d = t.detach().cpu().to_type(ScalarType.Float64);
        string range = $"min {Labels.Number(d.min().item<double>())}, max {Labels.Number(d.max().item<double>())}, mean {Labels.Number(d.mean().item<double>())}";
        return t.numel() <= 64 ? $"{head}\n{t.ToString(TorchSharp.TensorStringStyle.Numpy)}" : $"{head}: {range}";
    }

    /// <summary>An image-like tensor as an <c>img</c> element with a caption, any other as preformatted text.</summary>
    public static string TensorHtml(Tensor t)
    {
        if (!IsImageLike(t)) return $"<pre>{System.Net.WebUtility.HtmlEncode(Describe(t))}</pre>";
        using var image = ImageTensor.ToImage(AsRgb(t));
        return $"<figure style=\"margin:0\"><img src=\"data:image/png;base64,{Png.Base64(image)}\" width=\"{image.Width}\" height=\"{image.Height}\"/>" +
               $"<figcaption style=\"font-size:small\">{System.Net.WebUtility.HtmlEncode(Describe(t))}</figcaption></figure>";
    }

    private static Tensor AsRgb(Tensor t)
    {
        var x = t.dim() == 3 ? t.unsqueeze(0) : t;
        return x.shape[1] == 1 ? x.expand(1, 3, x.shape[2], x.shape[3]) : x;
    }
}
