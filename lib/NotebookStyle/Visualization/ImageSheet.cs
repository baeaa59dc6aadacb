using NotebookStyle.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Visualization;

/// <summary>Lays pictures out as one image: side by side (content | style | result), in a column, or in a labelled grid.</summary>
public static class ImageSheet
{
    private const int CaptionGap = 3;

    /// <summary>
    /// Pictures side by side, each scaled to <paramref name="height"/> pixels high (0: kept as they are), captions
    /// under them, an optional title above.
    /// </summary>
    public static Image<Rgb24> Row(IEnumerable<Panel> panels, int height = 256, int spacing = 8, string? title = null)
    {
        var list = panels.ToList();
        if (list.Count == 0) throw new NotebookStyleException("A sheet needs at least one picture.");
        var scaled = list.Select(p => height > 0 && p.Image.Height != height ? ScaleToHeight(p.Image, height) : null).ToList();
        try
        {
            var images = list.Select((p, i) => scaled[i] ?? p.Image).ToList();
            bool captions = list.Any(p => p.Caption is not null);
            int captionH = captions ? SheetCanvas.LineHeight + 2 * CaptionGap : 0;
            int titleH = title is null ? 0 : SheetCanvas.LineHeight + 6;
            int width = images.Sum(i => i.Width) + (images.Count + 1) * spacing;
            int rowH = images.Max(i => i.Height);
            using var sheet = new SheetCanvas(width, titleH + rowH + captionH + 2 * spacing);
            if (title is not null) sheet.Text(spacing, 3, title, width - 2 * spacing);
            int x = spacing;
            for (int i = 0; i < images.Count; i++)
            {
                sheet.Paste(images[i], x, titleH + spacing);
                if (list[i].Caption is { } c) sheet.TextCentered(x + images[i].Width / 2, titleH + spacing + rowH + CaptionGap, c, images[i].Width + spacing);
                x += images[i].Width + spacing;
            }
            return sheet.ToImage();
        }
        finally
        {
            foreach (var s in scaled) s?.Dispose();
        }
    }

    /// <summary>RGB [0, 1] tensors side by side with captions, e.g. <c>Row(("content", c), ("style", s), ("result", r))</c>.</summary>
    public static Image<Rgb24> Row(params (string Caption, Tensor Image)[] panels) => Row(panels.AsEnumerable());

    /// <summary>RGB [0, 1] tensors side by side with captions, each scaled to <paramref name="height"/>.</summary>
    public static Image<Rgb24> Row(IEnumerable<(string Caption, Tensor Image)> panels, int height = 256, string? title = null)
    {
        var list = panels.Select(p => new Panel(ImageTensor.ToImage(p.Image), p.Caption)).ToList();
        try { return Row(list, height, title: title); }
        finally { foreach (var p in list) p.Image.Dispose(); }
    }

    /// <summary>Pictures one under another, left-aligned, each with its caption above it.</summary>
    public static Image<Rgb24> Column(IEnumerable<Panel> panels, int spacing = 8)
    {
        var list = panels.ToList();
        if (list.Count == 0) throw new NotebookStyleException("A sheet needs at least one picture.");
        int captionH = SheetCanvas.LineHeight + 2 * CaptionGap;
        int width = list.Max(p => p.Image.Width) + 2 * spacing;
        int height = list.Sum(p => p.Image.Height + (p.Caption is null ? 0 : captionH)) + (list.Count + 1) * spacing;
        using var sheet = new SheetCanvas(width, height);
        int y = spacing;
        foreach (var p in list)
        {
            if (p.Caption is { } c)
            {
                sheet.Text(spacing, y + CaptionGap, c, width - 2 * spacing);
                y += captionH;
            }
            sheet.Paste(p.Image, spacing, y);
            y += p.Image.Height + spacing;
        }
        return sheet.ToImage();
    }

    /// <summary>
    /// A grid of pictures (rows × columns, ragged rows allowed), each scaled to <paramref name="cellHeight"/>, with row
    /// labels on the left, column labels on top and per-picture captions under each cell.
    /// </summary>
    public static Image<Rgb24> Grid(IReadOnlyList<IReadOnlyList<Panel>> rows, IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<string>? columnLabels = null, int cellHeight = 160, int spacing = 6, string? title = null)
    {
        if (rows.Count == 0 || rows.All(r => r.Count == 0)) throw new NotebookStyleException("A grid needs at least one picture.");
        if (rowLabels is not null && rowLabels.Count != rows.Count)
            throw new NotebookStyleException($"{rowLabels.Count} row labels for {rows.Count} rows.");
        int columns = rows.Max(r => r.Count);
        if (columnLabels is not null && columnLabels.Count != columns)
            throw new NotebookStyleException($"{columnLabels.Count} column labels for {columns} columns.");

        var scaled = rows.Select(r => r.Select(p => ScaleToHeight(p.Image, cellHeight)).ToList()).ToList();
        try
        {
            int cellW = scaled.SelectMany(r => r).Max(i => i.Width);
            bool captions = rows.Any(r => r.Any(p => p.Caption is not null));
            int captionH = captions ? SheetCanvas.LineHeight + 2 * CaptionGap : 0;
            int labelW = rowLabels is null ? 0 : rowLabels.Max(l => SheetCanvas.Measure(l)) + spacing;
            labelW = Math.Min(labelW, 240);
            int headH = (columnLabels is null ? 0 : SheetCanvas.LineHeight + CaptionGap) + (title is null ? 0 : SheetCanvas.LineHeight + 6);
            int width = labelW + columns * cellW + (columns + 1) * spacing;
            int height = headH + rows.Count * (cellHeight + captionH) + (rows.Count + 1) * spacing;
            using var sheet = new SheetCanvas(width, height);
            int top = 3;
            if (title is not null) { sheet.Text(spacing, top, title, width - 2 * spacing); top += SheetCanvas.LineHeight + 6; }
            if (columnLabels is not null)
                for (int c = 0; c < columns; c++)
                    sheet.TextCentered(labelW + spacing + c * (cellW + spacing) + cellW / 2, top, columnLabels[c], cellW + spacing);
            for (int r = 0; r < rows.Count; r++)
            {
                int y = headH + spacing + r * (cellHeight + captionH + spacing);
                if (rowLabels is not null)
                    sheet.Text(spacing, y + cellHeight / 2 - SheetCanvas.LineHeight / 2, rowLabels[r], labelW - spacing);
                for (int c = 0; c < rows[r].Count; c++)
                {
                    int x = labelW + spacing + c * (cellW + spacing);
                    var img = scaled[r][c];
                    sheet.Paste(img, x + (cellW - img.Width) / 2, y);
                    if (rows[r][c].Caption is { } cap) sheet.TextCentered(x + cellW / 2, y + cellHeight + CaptionGap, cap, cellW + spacing);
                }
            }
            return sheet.ToImage();
        }
        finally
        {
            foreach (var i in scaled.SelectMany(r => r)) i.Dispose();
        }
    }

    private static Image<Rgb24> ScaleToHeight(Image<Rgb24> image, int height)
    {
        if (height < 1) throw new NotebookStyleException($"Height must be at least 1 pixel, got {height}.");
        int width = Math.Max(1, (int)Math.Round((double)image.Width * height / image.Height));
        return ImageLoader.Resize(image, width, height);
    }
}
