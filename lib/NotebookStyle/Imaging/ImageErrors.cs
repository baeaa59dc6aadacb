namespace NotebookStyle.Imaging;

/// <summary>The file's header declares more pixels (or the file has more bytes) than the configured budget; nothing was decoded.</summary>
public sealed class ImageTooLargeException(string message) : NotebookStyleException(message);

/// <summary>The file is missing, not an image, or its data is corrupt or truncated.</summary>
public sealed class UnreadableImageException(string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new IOException(message));

/// <summary>The file is an image, but of a format or kind this library refuses (e.g. GIF, BMP, animated WebP).</summary>
public sealed class UnsupportedImageException(string message) : NotebookStyleException(message);
