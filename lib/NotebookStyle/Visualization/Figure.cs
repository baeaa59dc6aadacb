using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace NotebookStyle.Visualization;

/// <summary>
/// A chart that exists twice: as a Plotly.NET chart (interactive, in the notebook) and as a static picture drawn by
/// ScottPlot (readable without plotly.js: offline, on GitHub, in the PNGs the run command writes; Plotly.NET's own
/// static export needs a browser). Notebooks show both in one output; see <see cref="Notebooks.PlotlyHtml"/>.
/// </summary>
public abstract class Figure
{
    /// <summary>Creates a figure with a title.</summary>
    protected Figure(string title) => Title = title;

    /// <summary>The title above the chart.</summary>
    public string Title { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; init; } = 720;

    /// <summary>Height in pixels.</summary>
    public int Height { get; init; } = 400;

    /// <summary>The interactive chart (Plotly.NET). Needs Plotly.NET loaded: in a notebook, after the session setup.</summary>
    public abstract GenericChart ToPlotly();

    /// <summary>The static picture, <see cref="Width"/> × <see cref="Height"/> pixels.</summary>
    public Image<Rgb24> ToImage()
    {
        using var bitmap = SkiaPixels.NewBitmap(Width, Height);
        using (var canvas = new SKCanvas(bitmap)) Draw(canvas);
        return SkiaPixels.ToImage(bitmap);
    }

    /// <summary>Draws the static picture on a white <see cref="Width"/> × <see cref="Height"/> canvas.</summary>
    private protected abstract void Draw(SKCanvas canvas);
}

/// <summary>One named line or bar series.</summary>
/// <param name="Name">Shown in the legend.</param>
/// <param name="X">Positions (ignored by bar charts).</param>
/// <param name="Y">Values.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>Values at positions 0, 1, 2, …</summary>
    public static Series Of(string name, IReadOnlyList<double> y) => new(name, Enumerable.Range(0, y.Count).Select(i => (double)i).ToList(), y);
}
