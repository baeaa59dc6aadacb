namespace NotebookStyle.Models;

/// <summary>
/// Where a feature position at one layer looks in the input, per axis: position p covers its stride cell
/// [p·<paramref name="Stride"/>, (p + 1)·<paramref name="Stride"/>) and reaches <paramref name="Before"/> pixels before
/// that cell and <paramref name="After"/> pixels after it; <paramref name="Size"/> is the whole span.
/// </summary>
/// <param name="Stride">Total stride of the layer (input pixels per feature position).</param>
/// <param name="Size">Receptive-field size in input pixels (VGG19: conv3_1 24, conv4_1 68, conv4_2 84, conv5_1 156).</param>
/// <param name="Before">Input pixels the field reaches before the position's stride cell.</param>
/// <param name="After">Input pixels the field reaches after the position's stride cell.</param>
public sealed record ReceptiveField(int Stride, int Size, int Before, int After)
{
    /// <summary>The field of the input itself: stride 1, one pixel.</summary>
    public static ReceptiveField Input { get; } = new(1, 1, 0, 0);

    /// <summary>How far beyond a region of positions the inputs it depends on reach: max(<see cref="Before"/>, <see cref="After"/>).</summary>
    public int Radius => Math.Max(Before, After);

    /// <summary>The field after one more sliding window.</summary>
    public ReceptiveField Then(SlidingWindow window)
    {
        int size = Size + (window.Kernel - 1) * Stride;
        int before = Before + window.Padding * Stride;
        int stride = Stride * window.Stride;
        return new ReceptiveField(stride, size, before, size - before - stride);
    }

    /// <summary>The wider of two fields with the same stride reached along different paths (e.g. a residual block's two branches).</summary>
    public static ReceptiveField Widest(ReceptiveField a, ReceptiveField b) =>
        a.Stride == b.Stride
            ? new ReceptiveField(a.Stride, Math.Max(a.Size, b.Size), Math.Max(a.Before, b.Before), Math.Max(a.After, b.After))
            : throw new ArgumentException($"Fields of strides {a.Stride} and {b.Stride} do not combine.", nameof(b));
}
