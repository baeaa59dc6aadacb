using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Visualization;

/// <summary>Draws the frame of a static 2-D plot (title, axes, ticks, grid, legend) and maps data to pixels.</summary>
internal sealed class PlotRenderer
{
    private readonly PlotAxis _x, _y;
    private readonly int _left, _top, _right, _bottom;

    public PlotRenderer(int width, int height, string title, string xTitle, string yTitle, PlotAxis x, PlotAxis y, IReadOnlyList<string> legend)
    {
        _x = x; _y = y;
        Image = Canvas.Blank(width, height);
        int lh = BitmapFont.LineHeight;
        int yLabelW = y.Ticks.Count == 0 ? 0 : y.Ticks.Max(t => BitmapFont.Measure(t.Label).Width);
        int legendW = legend.Count == 0 ? 0 : Math.Min(width / 3, legend.Max(n => BitmapFont.Measure(n).Width) + 26);
        _left = yLabelW + 12;
        _top = lh + 12 + (yTitle.Length > 0 ? lh + 4 : 0);
        _right = width - legendW - 12;
        _bottom = height - lh - 10 - (xTitle.Length > 0 ? lh + 4 : 0);
        if (_right - _left < 20 || _bottom - _top < 20) throw new NotebookStyleException($"A {width}×{height} picture is too small for this chart.");

        Canvas.Text(Image, _left, 4, BitmapFont.Fit(title, width - _left - 4));
        if (yTitle.Length > 0) Canvas.Text(Image, 4, lh + 10, BitmapFont.Fit(yTitle, width / 2));
        foreach (var (v, label) in y.Ticks)
        {
            int py = (int)Math.Round(ToPixel(x.Min, v).Y);
            if (py < _top - 1 || py > _bottom + 1) continue;
            Canvas.FillRect(Image, _left, py, _right, py + 1, Canvas.GridLine);
            Canvas.Text(Image, _left - 6 - BitmapFont.Measure(label).Width, py - lh / 2, label);
        }
        int slot = x.Ticks.Count > 1 ? (_right - _left) / x.Ticks.Count : _right - _left;
        int lastEnd = int.MinValue;
        foreach (var (v, label) in x.Ticks)
        {
            int px = (int)Math.Round(ToPixel(v, y.Min).X);
            if (px < _left - 1 || px > _right + 1) continue;
            Canvas.FillRect(Image, px, _bottom, px + 1, _bottom + 4, Canvas.Ink);
            string fitted = BitmapFont.Fit(label, Math.Max(slot, BitmapFont.Advance * 6));
            int w = BitmapFont.Measure(fitted).Width;
            if (px - w / 2 <= lastEnd + 4) continue; // skip labels that would overlap their neighbour
            Canvas.Text(Image, px - w / 2, _bottom + 6, fitted);
            lastEnd = px - w / 2 + w;
        }
        if (xTitle.Length > 0)
            Canvas.TextCentered(Image, (_left + _right) / 2, height - lh - 4, xTitle, _right - _left);
        Canvas.FillRect(Image, _left, _top, _left + 1, _bottom + 1, Canvas.Ink);
        Canvas.FillRect(Image, _left, _bottom, _right + 1, _bottom + 1, Canvas.Ink);
        for (int i = 0; i < legend.Count; i++)
        {
            int ly = _top + i * (lh + 6);
            Canvas.FillRect(Image, _right + 14, ly + 4, _right + 26, ly + lh - 3, Canvas.Palette[i % Canvas.Palette.Length]);
            Canvas.Text(Image, _right + 30, ly, BitmapFont.Fit(legend[i], width - _right - 32));
        }
    }

    public Image<Rgb24> Image { get; }

    public (double X, double Y) ToPixel(double x, double y) =>
        (_left + _x.Fraction(x) * (_right - _left), _bottom - _y.Fraction(y) * (_bottom - _top));

    public void Line(double x0, double y0, double x1, double y1, Rgb24 color, int thickness) =>
        Canvas.Line(Image, Clamp(x0, _left, _right), Clamp(y0, _top, _bottom), Clamp(x1, _left, _right), Clamp(y1, _top, _bottom), color, thickness);

    public void Dot(double x, double y, Rgb24 color)
    {
        int px = (int)Math.Round(Clamp(x, _left, _right)), py = (int)Math.Round(Clamp(y, _top, _bottom));
        Canvas.FillRect(Image, px - 2, py - 2, px + 3, py + 3, color);
    }

    public void Rect(double x0, double y0, double x1, double y1, Rgb24 color) =>
        Canvas.FillRect(Image, (int)Math.Round(Clamp(x0, _left + 1, _right)), (int)Math.Round(Clamp(y0, _top, _bottom)),
            (int)Math.Round(Clamp(x1, _left + 1, _right)), (int)Math.Round(Clamp(y1, _top, _bottom)), color);

    private static double Clamp(double v, double lo, double hi) => double.IsNaN(v) ? lo : Math.Clamp(v, lo, hi);
}
