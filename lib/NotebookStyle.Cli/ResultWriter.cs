using NotebookStyle.Imaging;
using TorchSharp;

namespace NotebookStyle.Cli;

/// <summary>
/// Writes the run's files. The destinations were checked before the run, but a disk can fill or a folder vanish
/// meanwhile: then the file is written to the temporary folder instead, and the returned sentence names both places.
/// </summary>
internal static class ResultWriter
{
    /// <summary>Where a file ended up: <paramref name="Path"/> (null if nowhere), and why not where asked (null if it was).</summary>
    public sealed record Outcome(string? Path, string? Failure)
    {
        /// <summary>True when the file is where it was asked to be.</summary>
        public bool AsAsked => Failure is null;

        /// <summary>"X" or "Y (writing X failed: ...)" or "nowhere (...)", for messages.</summary>
        public string Describe(OutputTarget target) => Failure is null
            ? target.Requested
            : Path is null ? $"nowhere: {Failure}" : $"{Path} instead, because {Failure}";
    }

    /// <summary>Writes the image [1, 3, H, W] in [0, 1] to <paramref name="target"/> in <paramref name="format"/>.</summary>
    public static Outcome WriteImage(torch.Tensor image, OutputTarget target, ImageFileFormat format, int jpegQuality, int bitDepth = 8)
    {
        if (bitDepth == 16) return Write(target, path => ImageWriter.SavePng16(image, path));
        using var rgb = ImageTensor.ToImage(image);
        return Write(target, path => ImageWriter.Save(rgb, path, format, jpegQuality));
    }

    /// <summary>Writes the metrics JSON to <paramref name="target"/>.</summary>
    public static Outcome WriteMetrics(Metrics metrics, OutputTarget target) => Write(target, metrics.Write);

    private static Outcome Write(OutputTarget target, Action<string> write)
    {
        try
        {
            write(target.WritePath);
            return new Outcome(target.WritePath, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string failure = $"writing {target.Requested} failed ({ex.Message})";
            string fallback = Path.Combine(Path.GetTempPath(), $"nstyle-{DateTime.Now:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Path.GetFileName(target.WritePath)}");
            try
            {
                write(fallback);
                return new Outcome(fallback, failure);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                return new Outcome(null, $"{failure}, and so did {fallback} ({again.Message})");
            }
        }
    }
}
