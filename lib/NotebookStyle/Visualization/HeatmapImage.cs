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
        var (lo, hi) = Range(z);
        lo = min ?? lo; hi = max ?? hi;
        double span = hi > lo ? hi - lo : 1;
        var image = new Image<Rgb24>(cols * cell, rows * cell);
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
        {
            var color = colors.Map((z[r, c] - lo) / span);
            Canvas.FillRect(image, c * cell, r * cell, (c + 1) * cell, (r + 1) * cell, color);
        }
        return image;
    }

    /// <summary>A vertical colour bar <paramref name="height"/> pixels high, labelled with the top and bottom values.</summary>
    public static Image<Rgb24> ColorBar(double min, double max, int height, ColorMap? colors = null, int barWidth = 14)
    {
        colors ??= ColorMap.Viridis;
        string top = Labels.Number(max), bottom = Labels.Number(min);
        int textW = Math.Max(BitmapFont.Measure(top).Width, BitmapFont.Measure(bottom).Width);
        var image = Canvas.Blank(barWidth + 4 + textW, height);
        for (int y = 0; y < height; y++)
            Canvas.FillRect(image, 0, y, barWidth, y + 1, colors.Map(1 - (double)y / Math.Max(1, height - 1)));
        Canvas.Text(image, barWidth + 3, 0, top);
        Canvas.Text(image, barWidth + 3, height - BitmapFont.LineHeight, bottom);
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
