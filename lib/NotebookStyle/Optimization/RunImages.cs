using TorchSharp;
using NotebookStyle.Backend;
using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>The images of one run, on the network's device, at the content's size; the driver shrinks them per scale.</summary>
internal sealed class RunImages : IDisposable
{
    private RunImages(Tensor content, IReadOnlyList<StyleRegion> regions, Tensor target, Tensor? coverage)
    {
        Content = content;
        Regions = regions;
        Target = target;
        Coverage = coverage;
    }

    /// <summary>
    /// How much of each pixel the style regions cover, [1, 1, H, W] in [0, 1] (the sum of their masks, clamped); null
    /// when they cover every pixel whole (a region without a mask, or masks that add up to 1 everywhere). Where it is below
    /// 1 the photo is kept (<see cref="KeptPixels"/>).
    /// </summary>
    public Tensor? Coverage { get; }

    /// <summary>The content image.</summary>
    public Tensor Content { get; }

    /// <summary>
    /// The regions: their masks at the content's size on the device (null: the whole image) and their style images at the
    /// style scale (<see cref="StyleTransfer.ResizeStyle"/>) with their blend weights.
    /// </summary>
    public IReadOnlyList<StyleRegion> Regions { get; }

    /// <summary>The style the style init starts from: the first region's heaviest style (the first of equals).</summary>
    public Tensor Style => Regions[0].Styles.MaxBy(s => s.Weight)!.Image;

    /// <summary>What the content loss matches and the content init starts from: the content, recoloured for the palette and histogram colour modes.</summary>
    public Tensor Target { get; }

    /// <summary>Moves the images to <paramref name="device"/>, resizes the styles and masks and makes the content target.</summary>
    public static RunImages Prepare(Tensor content, IReadOnlyList<StyleRegion> regions, Device device, ResolvedSettings settings)
    {
        if (regions.Count == 0) throw new NotebookStyleException("Give at least one style region.");
        foreach (var region in regions) WeightedStyle.Normalize(region.Styles); // checks the weights before any work
        var onDevice = content.detach().to(device);
        long height = onDevice.shape[2], width = onDevice.shape[3];
        var prepared = regions.Select(region => region with
        {
            Mask = region.Mask is null ? null : RegionMask.At(region.Mask, height, width, device: device),
            Styles = [.. region.Styles.Select(s =>
            {
                using var styleIn = s.Image.detach().to(device);
                return new WeightedStyle(StyleTransfer.ResizeStyle(styleIn, onDevice, settings.StyleScale), s.Weight);
            })],
        }).ToList();
        var target = settings.Color is ColorMode.Palette or ColorMode.Histogram ? ColourTarget(onDevice, prepared, settings) : onDevice.alias();
        // Recolouring's temporaries are freed but glibc keeps them in its arenas: return them before the run allocates.
        if (settings.Color is ColorMode.Palette or ColorMode.Histogram) ProcessMemory.TrimIfOptedIn();
        return new RunImages(onDevice, prepared, target, CoverageOf(prepared));
    }

    private static Tensor? CoverageOf(IReadOnlyList<StyleRegion> regions)
    {
        if (regions.Any(r => r.Mask is null)) return null;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var sum = regions.Select(r => r.Mask!).Aggregate((a, b) => a.add(b)).clamp(0, 1);
        // Masks that add up to 1 everywhere (a region map with a style for every colour) leave nothing to keep.
        if (sum.min().ToDouble() >= 1 - 1e-6) return null;
        return sum.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Palette and histogram modes: the content (target and start) takes the style's colour statistics, so the optimisation
    /// never pulls the photo's colours back. A blend's colour target is its styles' pixels sampled in proportion to the
    /// weights (<see cref="PaletteBlend"/>); with regions, each region's pixels take its own styles' colours, the match
    /// fitted on the region's own pixels (so that the region, not the whole photo, gets the painting's distribution:
    /// fitted on the whole photo, a sky region got only the light end of the painting's palette), mixed by the soft
    /// masks; pixels no region covers keep the photo's.
    /// </summary>
    private static Tensor ColourTarget(Tensor content, IReadOnlyList<StyleRegion> regions, ResolvedSettings settings)
    {
        using var scope = NewDisposeScope();
        Tensor Recolour(StyleRegion region)
        {
            var palette = PaletteBlend.Create([.. region.Styles.Select(s => (s.Image, s.Weight))], settings.Seed);
            return settings.Color == ColorMode.Palette
                ? ColorTransfer.MatchPalette(content, palette, region.Mask)
                : ColorTransfer.MatchHistogram(content, palette, settings.HistogramStrength, seed: settings.Seed, region: region.Mask);
        }
        if (regions is [{ Mask: null } whole]) return Recolour(whole).MoveToOuterDisposeScope();
        var covered = zeros_like(content[.., ..1]);
        var mixed = zeros_like(content);
        foreach (var region in regions)
        {
            var mask = region.Mask ?? ones_like(covered);
            mixed = mixed.add(Recolour(region).mul(mask));
            covered = covered.add(mask);
        }
        // Overlapping masks share a pixel's colour in proportion; what is left uncovered keeps the photo's colour.
        var scale = covered.clamp_min(1);
        return mixed.div(scale).add(content.mul(covered.div(scale).neg().add(1))).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Coverage?.Dispose();
        Target.Dispose();
        foreach (var region in Regions)
        {
            region.Mask?.Dispose();
            foreach (var style in region.Styles) style.Image.Dispose();
        }
        Content.Dispose();
    }
}
