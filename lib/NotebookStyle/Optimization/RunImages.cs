using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>The images of one run, on the network's device, at the content's size; the driver shrinks them per scale.</summary>
internal sealed class RunImages : IDisposable
{
    private RunImages(Tensor content, IReadOnlyList<WeightedStyle> styles, Tensor target)
    {
        Content = content;
        Styles = styles;
        Target = target;
    }

    /// <summary>The content image.</summary>
    public Tensor Content { get; }

    /// <summary>The style images at the style scale (<see cref="StyleTransfer.ResizeStyle"/>), with their blend weights.</summary>
    public IReadOnlyList<WeightedStyle> Styles { get; }

    /// <summary>The style the style init starts from: the blend's heaviest (the first of equals).</summary>
    public Tensor Style => Styles.MaxBy(s => s.Weight)!.Image;

    /// <summary>What the content loss matches and the content init starts from: the content, recoloured for the palette and histogram colour modes.</summary>
    public Tensor Target { get; }

    /// <summary>Moves the images to <paramref name="device"/>, resizes the styles and makes the content target.</summary>
    public static RunImages Prepare(Tensor content, IReadOnlyList<WeightedStyle> styles, Device device, ResolvedSettings settings)
    {
        WeightedStyle.Normalize(styles); // checks the weights before any work
        var onDevice = content.detach().to(device);
        var resized = styles.Select(s =>
        {
            using var styleIn = s.Image.detach().to(device);
            return new WeightedStyle(StyleTransfer.ResizeStyle(styleIn, onDevice, settings.StyleScale), s.Weight);
        }).ToList();
        // Palette: the content (target and start) takes the style's colour statistics, so the optimisation never pulls the photo's colours back.
        // A blend's colour target is its styles' pixels sampled in proportion to the weights (PaletteBlend).
        Tensor Palette() => PaletteBlend.Create([.. resized.Select(s => (s.Image, s.Weight))], settings.Seed);
        var target = settings.Color switch
        {
            ColorMode.Palette => MatchWith(palette => ColorTransfer.MatchPalette(onDevice, palette)),
            ColorMode.Histogram => MatchWith(palette => ColorTransfer.MatchHistogram(onDevice, palette, settings.HistogramStrength, seed: settings.Seed)),
            _ => onDevice.alias(),
        };
        return new RunImages(onDevice, resized, target);

        Tensor MatchWith(Func<Tensor, Tensor> match)
        {
            using var palette = Palette();
            return match(palette);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Target.Dispose();
        foreach (var style in Styles) style.Image.Dispose();
        Content.Dispose();
    }
}
