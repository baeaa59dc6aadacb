using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace NotebookStyle.Imaging;

/// <summary>Writes images as PNG or JPEG, whole or not at all.</summary>
public static class ImageWriter
{
    /// <summary>The JPEG quality used when none is given (1–100).</summary>
    public const int DefaultJpegQuality = 92;

    /// <summary>The format a file name's extension names: <c>.png</c>, <c>.jpg</c> or <c>.jpeg</c> (any case); null for any other.</summary>
    public static ImageFileFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => ImageFileFormat.Png,
        ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
        _ => null,
    };

    /// <summary>Writes the [1, 3, H, W] tensor in [0, 1] (see <see cref="ImageTensor.ToImage"/>) like <see cref="Save(Image{Rgb24}, string, ImageFileFormat, int)"/>.</summary>
    public static void Save(torch.Tensor image, string path, ImageFileFormat format, int jpegQuality = DefaultJpegQuality)
    {
        using var rgb = ImageTensor.ToImage(image);
        Save(rgb, path, format, jpegQuality);
    }

    /// <summary>
    /// Writes the [1, 3, H, W] tensor in [0, 1] as a 16-bit-per-channel PNG (<see cref="ImageTensor.ToImage48"/>; for
    /// prints), whole or not at all like <see cref="Save(Image{Rgb24}, string, ImageFileFormat, int)"/>.
    /// </summary>
    public static void SavePng16(torch.Tensor image, string path)
    {
        using var rgb = ImageTensor.ToImage48(image);
        SaveWith(path, tmp => rgb.Save(tmp, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb }));
    }

    /// <summary>
    /// Writes <paramref name="image"/> to <paramref name="path"/> in <paramref name="format"/>, creating the folder. The file
    /// appears whole or not at all: it is written to a uniquely named temporary file in the same folder, then renamed over
    /// <paramref name="path"/> (a symbolic link there is replaced, not followed: resolve it first to write its target);
    /// the temporary file is removed if writing fails.
    /// </summary>
    /// <exception cref="IOException">The folder or the file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write there.</exception>
    public static void Save(Image<Rgb24> image, string path, ImageFileFormat format, int jpegQuality = DefaultJpegQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (jpegQuality is < 1 or > 100) throw new NotebookStyleException($"JPEG quality must be between 1 and 100, got {jpegQuality}.");
        IImageEncoder encoder = format switch
        {
            ImageFileFormat.Png => new PngEncoder(),
            ImageFileFormat.Jpeg => new JpegEncoder { Quality = jpegQuality },
            _ => throw new NotebookStyleException($"Unknown image format {format}."),
        };
        SaveWith(path, tmp => image.Save(tmp, encoder));
    }

    /// <summary>
    /// Removes the temporaries that earlier writes of <paramref name="path"/> left beside it when they were killed
    /// (SIGKILL, power loss): <c>.NAME.PID-GUID.tmp</c> whose process is gone, and the older <c>.NAME.GUID.tmp</c> once
    /// ten minutes old. A live writer's temporary is never touched.
    /// </summary>
    public static void RemoveStaleTemporaries(string path)
    {
        string full = Path.GetFullPath(path), folder = Path.GetDirectoryName(full)!, name = Path.GetFileName(full);
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, $".{name}.*.tmp").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string candidate in candidates)
        {
            string middle = Path.GetFileName(candidate)[(name.Length + 2)..^4]; // between ".NAME." and ".tmp"
            var parts = middle.Split('-');
            bool stale = parts switch
            {
                [var pid, var guid] when IsGuid(guid) && int.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id) =>
                    id != Environment.ProcessId && !ProcessAlive(id),
                [var guid] when IsGuid(guid) => File.GetLastWriteTimeUtc(candidate) < DateTime.UtcNow.AddMinutes(-10),
                _ => false,
            };
            if (!stale) continue;
            try { File.Delete(candidate); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* another cleaner, or not ours to remove */ }
        }

        static bool IsGuid(string text) => text.Length == 32 && text.All(Uri.IsHexDigit);
    }

    private static bool ProcessAlive(int id)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{id}");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes through <paramref name="write"/> to a temporary file beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    private static void SaveWith(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string tmp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            write(tmp);
            File.Move(tmp, full, overwrite: true);
            RemoveStaleTemporaries(full);
        }
        catch
        {
            try { File.Delete(tmp); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { /* the original error matters more */ }
            throw;
        }
    }
}
