namespace NotebookStyle.Imaging;

/// <summary>The formats <see cref="ImageWriter"/> writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG, 8 bits per channel, lossless.</summary>
    Png,

    /// <summary>JPEG (baseline, 4:2:0), lossy, with a quality setting.</summary>
    Jpeg,
}
