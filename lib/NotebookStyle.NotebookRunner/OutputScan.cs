using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookStyle.NotebookRunner;

/// <summary>An error output of an executed notebook.</summary>
/// <param name="Cell">The cell (0-based).</param>
/// <param name="Message">The error's name and first line.</param>
public sealed record NotebookError(int Cell, string Message);

/// <summary>A PNG found in an executed notebook.</summary>
/// <param name="Cell">The cell (0-based).</param>
/// <param name="Index">Its position among the cell's pictures.</param>
/// <param name="Bytes">The PNG file.</param>
public sealed record NotebookPicture(int Cell, int Index, byte[] Bytes);

/// <summary>What an executed notebook holds: errors and pictures.</summary>
public static partial class OutputScan
{
    /// <summary>Pictures narrower or lower than this are decorations, not results.</summary>
    public const int MinSide = 4;

    /// <summary>Every output of type <c>error</c>, and every stream written to stderr that names an exception.</summary>
    public static IReadOnlyList<NotebookError> Errors(NotebookDocument notebook)
    {
        var errors = new List<NotebookError>();
        foreach (var cell in notebook.Cells)
        foreach (var o in cell.Outputs)
        {
            string type = o["output_type"]?.GetValue<string>() ?? "";
            if (type == "error")
            {
                string name = o["ename"]?.GetValue<string>() ?? "Error";
                string value = o["evalue"]?.GetValue<string>() ?? "";
                errors.Add(new NotebookError(cell.Index, $"{name}: {FirstLine(value)}"));
            }
            else if (type == "stream" && o["name"]?.GetValue<string>() == "stderr")
            {
                string text = o["text"] is JsonArray a ? string.Concat(a.Select(p => p?.GetValue<string>())) : o["text"]?.GetValue<string>() ?? "";
                if (text.Contains("Exception", StringComparison.Ordinal)) errors.Add(new NotebookError(cell.Index, $"stderr: {FirstLine(text)}"));
            }
        }
        return errors;
    }

    /// <summary>
    /// The lines of a kernel's own output (dotnet-repl's stdout and stderr, where native code's writes to fd 1 and 2 land)
    /// that libtorch's logger wrote: <c>[W1206 21:19:05.168263050 NNPACK.cpp:56] …</c> (severity letter I, W, E or F,
    /// month and day, time, source file and line). A learner's kernel must print none of them (NativeLogging).
    /// </summary>
    public static IReadOnlyList<string> NativeLogLines(string log) =>
        log.Split('\n').Select(l => l.Trim()).Where(l => NativeLogLine().IsMatch(l)).ToList();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+ [^\]]+:\d+\]")]
    private static partial System.Text.RegularExpressions.Regex NativeLogLine();

    /// <summary>Every PNG: <c>image/png</c> outputs and <c>data:image/png;base64</c> pictures inside HTML outputs (one per figure output).</summary>
    public static IReadOnlyList<NotebookPicture> Pictures(NotebookDocument notebook)
    {
        var pictures = new List<NotebookPicture>();
        foreach (var cell in notebook.Cells)
        {
            int k = 0;
            foreach (var o in cell.Outputs)
            {
                if (NotebookDocument.MimeText(o, "image/png") is { Length: > 0 } b64)
                {
                    if (TryDecode(b64, out var png)) pictures.Add(new NotebookPicture(cell.Index, k++, png));
                    continue; // the HTML of a figure repeats the same picture
                }
                if (NotebookDocument.MimeText(o, "text/html") is { } html)
                    foreach (var picture in DataUriPictures(html))
                        if (TryDecode(picture, out var png)) pictures.Add(new NotebookPicture(cell.Index, k++, png));
            }
        }
        return pictures;
    }

    /// <summary>
    /// The PNG in <paramref name="base64"/>, if it is one and at least <see cref="MinSide"/> pixels each way (the kernel's
    /// 1-pixel decorations are not pictures).
    /// </summary>
    public static bool TryDecode(string base64, out byte[] png)
    {
        png = [];
        try { png = Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { return false; }
        // PNG signature 89 50 4E 47, then the IHDR chunk: width and height (big-endian) at bytes 16 and 20.
        if (png.Length < 24 || png[0] != 0x89 || png[1] != 0x50 || png[2] != 0x4E || png[3] != 0x47) return false;
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        // Skip the kernel's own 1-pixel decorations (e.g. in its "Installing packages" output).
        return width >= MinSide && height >= MinSide;
    }

    private static string FirstLine(string s)
    {
        string line = s.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    /// <summary>The base64 bodies of the <c>data:image/png</c> pictures inside an HTML output, in order.</summary>
    public static IEnumerable<string> DataUriPictures(string html) => DataUri().Matches(html).Select(m => m.Groups[1].Value);

    [GeneratedRegex("data:image/png;base64,([A-Za-z0-9+/=]+)")]
    private static partial Regex DataUri();
}
