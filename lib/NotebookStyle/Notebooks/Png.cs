using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Notebooks;

/// <summary>PNG encoding for notebook outputs.</summary>
public static class Png
{
    /// <summary>The image as PNG bytes.</summary>
    public static byte[] Encode(Image<Rgb24> image)
    {
        using var ms = new MemoryStream();
        image.SaveAsPng(ms);
        return ms.ToArray();
    }

    /// <summary>The image as base64 PNG (the body of an <c>image/png</c> notebook output).</summary>
    public static string Base64(Image<Rgb24> image) => Convert.ToBase64String(Encode(image));
}
