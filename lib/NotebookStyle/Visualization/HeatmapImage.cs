using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>A matrix as a picture: each entry a square of colour, and a colour bar that tells values apart.</summary>
public static class HeatmapImage
{
    /// <summary>Renders <paramref name="z"/> (rows × columns) with <paramref name="cell"/> pixels per entry between <paramref name="min"/> and <paramref name="max"/> (default: the matrix's own range).</summary>
    public static Image<Rgb24> Render(double[,] z, ColorMap? colors = null, double? min = null, double? max = null, int cell = 4)
    {
        colors ??= ColorMap.Viridis;
        int rows = z.GetLength(0), cols = z.GetLength(1);
        if (rows == 0 || cols == 0) throw new NotebookStyleException("The matrix is empty.");
        if (cell < 1) throw new NotebookStyleException($"A cell must be at least 1 pixel, got {cell}.");
        var (lo, hi) = Range(z);
        lo = min ?? lo; hi = max ?? hi;
        double span = hi > lo ? hi - lo : 1;
        var image = new Image<Rgb24>(cols * cell, rows * cell);
        image.ProcessPixelRows(pixels =>
        {
            for (int y = 0; y < pixels.Height; y++)
            {
                var row = pixels.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) row[x] = colors.Map((z[y / cell, x / cell] - lo) / span);
            }
        });
        return image;
    }

    /// <summary>The smallest and largest finite entries.</summary>
    public static (double Min, double Max) Range(double[,] z)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in z)
        {
            if (!double.IsFinite(v)) continue;
            lo = Math.Min(lo, v); hi = Math.Max(hi, v);
        }
        return double.IsInfinity(lo) ? (0, 0) : (lo, hi);
    }

    /// <summary>A 2-D tensor as a matrix of doubles (copied to the CPU).</summary>
    public static double[,] ToMatrix(Tensor t)
    {
        if (t.dim() != 2) throw new NotebookStyleException($"Expected a matrix, got [{string.Join(", ", t.shape)}].");
        using var c = t.detach().cpu().to_type(ScalarType.Float64).contiguous();
        double[] flat = c.data<double>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var z = new double[rows, cols];
        Buffer.BlockCopy(flat, 0, z, 0, flat.Length * sizeof(double));
        return z;
    }
}
