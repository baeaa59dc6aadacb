using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>The images of one run, on the network's device, at the content's size; the driver shrinks them per scale.</summary>
internal sealed class RunImages : IDisposable
{
    private RunImages(Tensor content, Tensor style, Tensor target)
    {
        Content = content;
        Style = style;
        Target = target;
    }

    /// <summary>The content image.</summary>
    public Tensor Content { get; }

    /// <summary>The style image at the style scale (<see cref="StyleTransfer.ResizeStyle"/>).</summary>
    public Tensor Style { get; }

    /// <summary>What the content loss matches and the content init starts from: the content, recoloured for the palette and histogram colour modes.</summary>
    public Tensor Target { get; }

    /// <summary>Moves the images to <paramref name="device"/>, resizes the style and makes the content target.</summary>
    public static RunImages Prepare(Tensor content, Tensor style, Device device, ResolvedSettings settings)
    {
        var onDevice = content.detach().to(device);
        using var styleIn = style.detach().to(device);
        var resized = StyleTransfer.ResizeStyle(styleIn, onDevice, settings.StyleScale);
        // Palette: the content (target and start) takes the style's colour statistics, so the optimisation never pulls the photo's colours back.
        var target = settings.Color switch
        {
            ColorMode.Palette => ColorTransfer.MatchPalette(onDevice, resized),
            ColorMode.Histogram => ColorTransfer.MatchHistogram(onDevice, resized, settings.HistogramStrength, seed: settings.Seed),
            _ => onDevice.alias(),
        };
        // Recolouring's temporaries are freed but glibc keeps them in its arenas: return them before the run allocates.
        if (settings.Color is ColorMode.Palette or ColorMode.Histogram) ProcessMemory.TrimNative();
        return new RunImages(onDevice, resized, target);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Target.Dispose();
        Style.Dispose();
        Content.Dispose();
    }
}
