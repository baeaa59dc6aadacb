using NotebookStyle.Imaging;

namespace NotebookStyle.Cli;

/// <summary>
/// An input image read once into memory (within the loader's byte limit) with its header checked: a file, a pipe such as
/// <c>&lt;(cat photo.jpg)</c> (readable only once), or standard input when the path is <c>-</c>.
/// </summary>
/// <param name="Name">The path as given, or "standard input"; used in messages.</param>
/// <param name="Path">The path as given; null for standard input.</param>
/// <param name="Bytes">The whole file.</param>
/// <param name="Width">Upright width from the header.</param>
/// <param name="Height">Upright height from the header.</param>
internal sealed record InputImage(string Name, string? Path, byte[] Bytes, int Width, int Height)
{
    /// <summary>The path that means standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>Reads and identifies <paramref name="path"/>; nothing is decoded yet.</summary>
    /// <exception cref="NotebookStyleException">Missing, unreadable, too large, or not a JPEG, PNG or WebP image.</exception>
    public static InputImage Read(string path, Func<Stream> standardInput)
    {
        string name = path == StandardInput ? "standard input" : path;
        byte[] bytes;
        if (path == StandardInput)
        {
            using var stdin = standardInput();
            bytes = ImageLoader.ReadAllBytes(stdin, name);
        }
        else
        {
            bytes = ImageLoader.ReadAllBytes(path);
        }
        var (width, height, _) = ImageLoader.Identify(bytes, name);
        return new InputImage(name, path == StandardInput ? null : path, bytes, width, height);
    }
}
