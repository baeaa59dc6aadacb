using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Lesson 06's exercise: a region map painted in code — a [1, 3, H, W] image of exactly two flat colours at the photo's
/// size — whose two regions each take their painting's colours and swap them when the paintings swap. The check first
/// reads the map (shape, value range, number of colours, each region's share) and then runs
/// <see cref="ControlExperiments.Regions"/> small with the two paintings, then swapped, and compares each region's
/// colour ratios to the two paintings.
/// </summary>
public static class RegionMapCheck
{
    /// <summary>The smallest share of the picture a region must cover.</summary>
    public const double MinShare = 0.1;

    /// <summary>Runs the check.</summary>
    /// <param name="network">The lesson's network.</param>
    /// <param name="photo">The photo.</param>
    /// <param name="first">The painting of the map's first colour (in hex order).</param>
    /// <param name="second">The painting of its second colour.</param>
    /// <param name="baseline">The lesson's baseline settings; the check recolours the start (<see cref="ColorMode.Palette"/>) unless they name a colour mode.</param>
    /// <param name="answer">The learner's function: (height, width) → the map.</param>
    public static CheckOutcome Evaluate(FeatureExtractor network, Tensor photo, Painting first, Painting second, StyleTransferSettings baseline,
        Func<long, long, Tensor> answer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(answer);
        long h = photo.shape[^2], w = photo.shape[^1];
        if (first.Image.shape.SequenceEqual(second.Image.shape) && first.Image.allclose(second.Image.to(first.Image.device)))
            return CheckOutcome.Fail($"{first.Name} and {second.Name} are the same picture here (offline, every painting falls back to " +
                                     "the one committed picture): no map can flip between them. Put the paintings in a folder named by " +
                                     "NOTEBOOKSTYLE_IMAGES (or go online), restart the kernel and run the lesson again.");
        var (map, failure) = LearnerCode.Call("PaintMap", () => answer(h, w));
        if (failure is not null) return failure;
        if (Read(map, h, w) is { } problem) return CheckOutcome.Fail(problem);
        using var scope = NewDisposeScope();
        using var regions = RegionMap.FromImage(map!.detach().cpu().to_type(ScalarType.Float32), h, w);
        var (a, b) = (regions.Colours[0], regions.Colours[1]);
        var painted = new[]
        {
            new PaintedRegion(a, regions.Mask(a).to(photo.device), first),
            new PaintedRegion(b, regions.Mask(b).to(photo.device), second),
        };
        var settings = baseline.Color is null ? baseline with { Color = ColorMode.Palette } : baseline;
        using var run = Experiments.Run(ControlExperiments.Regions(painted, settings), network, photo, _ => { });
        var lines = new List<string>();
        var wrong = new List<string>();
        for (int v = 0; v < 2; v++)
        {
            var result = run.Results[v];
            foreach (var (colour, own, other) in new[] { (a, v == 0 ? first : second, v == 0 ? second : first), (b, v == 0 ? second : first, v == 0 ? first : second) })
            {
                string group = $"{colour} ({own.Name})";
                double toOwn = result.Figure(group, $"to {own.Name}"), toOther = result.Figure(group, $"to {other.Name}");
                string line = $"{colour} as {own.Name}: {toOwn:F2} to it, {toOther:F2} to {other.Name}";
                lines.Add(line);
                if (!(toOwn < toOther)) wrong.Add(line);
            }
        }
        if (wrong.Count > 0)
            return CheckOutcome.Fail($"not every region is nearer its own painting ({string.Join("; ", wrong)}): make both regions large and " +
                                     "compact (a half, a disc), not thin strips the blur and the deep layers wash out.");
        return CheckOutcome.Pass($"the colour ratios flip with the paintings — {string.Join("; ", lines)} (the smaller ratio is the nearer palette).");
    }

    /// <summary>What is wrong with the map as a two-region map of an H × W photo, or null.</summary>
    public static string? Read(Tensor? map, long height, long width)
    {
        if (map is null) return "PaintMap returned null: return the map, a [1, 3, H, W] tensor.";
        if (map.dim() != 4 || map.shape[0] != 1 || map.shape[1] != 3)
            return $"the map has shape {LearnerCode.Shape(map)}: a region map is an RGB image, [1, 3, H, W] = [1, 3, {height}, {width}].";
        if (map.shape[2] != height || map.shape[3] != width)
            return map.shape[2] == width && map.shape[3] == height
                ? $"the map is {map.shape[2]} × {map.shape[3]}, the photo {height} × {width}: height and width are swapped (H comes first)."
                : $"the map is {map.shape[2]} × {map.shape[3]}, the photo {height} × {width} (H × W): paint it at the photo's size.";
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var m = map.detach().cpu().to_type(ScalarType.Float32);
        double min = m.min().ToDouble(), max = m.max().ToDouble();
        if (min < 0 || max > 1)
            return $"the values run from {min:G3} to {max:G3}: colours are in [0, 1] (1 = full), not 0–255.";
        if (min == max) return "the map is one flat colour: paint two regions in two colours.";
        var bytes = m.mul(255).round().to_type(ScalarType.Int64);
        var packed = bytes[0, 0].mul(65536).add(bytes[0, 1].mul(256)).add(bytes[0, 2]).flatten();
        var (values, _, counted) = packed.unique(return_counts: true);
        var counts = counted!;
        var colours = values.data<long>().Zip(counts.data<long>(), (v, c) => (Hex: v.ToString("x6"), Share: (double)c / packed.numel()))
            .OrderByDescending(c => c.Share).ToList();
        if (colours.Count == 1) return "the map is one flat colour: paint two regions in two colours.";
        if (colours.Count > 2)
            return $"the map has {colours.Count} colours (the two largest {colours[0].Hex} and {colours[1].Hex} cover " +
                   $"{(colours[0].Share + colours[1].Share) * 100:F0}%): paint exactly two flat colours, no blending or soft edges.";
        if (colours[1].Share < MinShare)
            return $"{colours[1].Hex} covers {colours[1].Share * 100:F1}% of the photo: each region needs at least {MinShare * 100:F0}% to carry a style " +
                   "into the deeper layers.";
        return null;
    }
}
