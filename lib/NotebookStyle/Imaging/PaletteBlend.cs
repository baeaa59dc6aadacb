using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Imaging;

/// <summary>
/// The colour target of a blend of style images, for <see cref="ColorTransfer.MatchPalette"/> and
/// <see cref="ColorTransfer.MatchHistogram"/>: a pixel set sampled from the styles in proportion to their weights, so its
/// distribution is the weighted mixture of theirs (and its mean and covariance the mixture's moments, in expectation).
/// </summary>
public static class PaletteBlend
{
    /// <summary>
    /// A [1, 3, 1, K] "image" of pixels drawn from <paramref name="styles"/> (RGB [0, 1] tensors [1, 3, H, W], any sizes):
    /// K is the largest style's pixel count and style i gives round(K·wᵢ/Σw) of them, drawn by a seeded permutation
    /// (without repeats while it has enough pixels). With a single style of weight &gt; 0 its image itself is returned (an
    /// alias), so a blend of (1, 0) has exactly the single style's colours.
    /// </summary>
    /// <exception cref="ArgumentException">No style, a negative or non-finite weight, or all weights 0.</exception>
    public static Tensor Create(IReadOnlyList<(Tensor Image, double Weight)> styles, long seed = 0)
    {
        if (styles.Count == 0) throw new ArgumentException("Give at least one style.", nameof(styles));
        if (styles.Any(s => !(s.Weight >= 0) || double.IsInfinity(s.Weight)))
            throw new ArgumentException("Blend weights must be finite and ≥ 0.", nameof(styles));
        // Divided by the largest first: weights near the largest double must not overflow the sum or k·w below.
        double largest = styles.Max(s => s.Weight);
        if (largest <= 0) throw new ArgumentException("At least one blend weight must be above 0.", nameof(styles));
        styles = [.. styles.Select(s => (s.Image, s.Weight / largest))];
        double sum = styles.Sum(s => s.Weight);
        var used = styles.Where(s => s.Weight > 0).ToList();
        if (used.Count == 1) return used[0].Image.alias();

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long k = used.Max(s => s.Image.shape[2] * s.Image.shape[3]);
        var generator = new Generator((ulong)seed);
        var parts = new List<Tensor>();
        foreach (var (image, weight) in used)
        {
            var pixels = image.reshape(3, -1);
            long available = pixels.shape[1], count = (long)Math.Round(k * weight / sum);
            if (count == 0) continue;
            // Repeat whole permutations when the style has fewer pixels than its share.
            var picks = cat([.. Enumerable.Range(0, (int)((count + available - 1) / available))
                .Select(_ => randperm(available, generator: generator).to(pixels.device))]).narrow(0, 0, count);
            parts.Add(pixels.index_select(1, picks));
        }
        return cat(parts, 1).unsqueeze(1).unsqueeze(0).contiguous().MoveToOuterDisposeScope();
    }
}
