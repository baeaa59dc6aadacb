using System.Diagnostics;
using System.Security.Cryptography;
using NotebookStyle.Tests.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Cli;

/// <summary>
/// A fresh folder of inputs (wave.jpg a second style, map.png a red and green region map, link-to-wave.jpg and
/// hard-map.png links to them), traps and pre-existing files for one bad-input case; the CLI runs inside it, with its
/// temporary folder (TMPDIR) at <c>tmp/</c>. Regular files are hashed before and after the run. Never point it at a CLI
/// build older than these checks as root without the sandbox's own device nodes: such a build renamed its output over
/// /dev/null.
/// </summary>
public sealed class MatrixSandbox : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"nstyle-matrix-{Guid.NewGuid():N}");

    public MatrixSandbox()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(At("tmp"));
        Directory.CreateDirectory(At("folder"));
        Directory.CreateDirectory(At("sub"));
        Directory.CreateDirectory(At("folder.jpg"));
        File.WriteAllText(At("folder/keep.txt"), "keep me");
        File.Copy(TestPaths.SharedImage("golden_gate.jpg"), At("content.jpg"));
        File.Copy(TestPaths.SharedImage("starry_night.jpg"), At("style.jpg"));
        File.Copy(TestPaths.SharedImage("great_wave.jpg"), At("wave.jpg"));
        File.WriteAllBytes(At("map.png"), SmallMap.Value);
        File.WriteAllBytes(At("existing.png"), ExistingPng.Value);
        File.WriteAllText(At("notes.txt"), "a regular file, not a folder");
        File.WriteAllText(At("not-image.jpg"), "this is not a JPEG");
        File.WriteAllBytes(At("empty.png"), []);
        byte[] jpeg = File.ReadAllBytes(At("content.jpg"));
        File.WriteAllBytes(At("truncated.jpg"), jpeg[..(jpeg.Length / 2)]);
        File.WriteAllBytes(At("short.png"), ImagingFiles.PngWithRows(64, 48, rowsStored: 20));
        File.WriteAllBytes(At("huge.png"), ImagingFiles.CraftedPng(100_000, 100_000, garbageIdat: true));
        File.WriteAllBytes(At("tiny-interlaced.png"), TinyInterlacedPng.Value);
        File.WriteAllBytes(At("picture.gif"), Gif.Value);
        File.Copy(ImagingFiles.Fixture("animated.webp"), At("animated.webp"));
        File.WriteAllText(At("junk.h5"), "junk, not HDF5");
        File.WriteAllText(At("junk.pth"), "junk, not a zip");
        File.WriteAllText(At("junk.safetensors"), "junk");
        File.WriteAllBytes(At("truncated.safetensors"), [0x40, 0, 0, 0, 0, 0, 0, 0, .. "{\"a\":"u8.ToArray()]);
        File.WriteAllText(At("weights.bin"), "unknown extension");
        File.CreateSymbolicLink(At("link-to-content.jpg"), "content.jpg");
        File.CreateSymbolicLink(At("link.png"), "existing.png");
        File.CreateSymbolicLink(At("loop-a.png"), "loop-b.png");
        File.CreateSymbolicLink(At("loop-b.png"), "loop-a.png");
        Tool("ln", At("content.jpg"), At("hard-content.jpg"));
        File.CreateSymbolicLink(At("link-to-wave.jpg"), "wave.jpg");
        Tool("ln", At("map.png"), At("hard-map.png"));
        // Device nodes of the sandbox's own, so that a CLI that replaced its output (as root) would not damage the
        // machine's /dev/null and /dev/full; where mknod is not allowed (not root), links to them, which cannot be
        // replaced without root either.
        Device("devnull", 3, "/dev/null");
        Device("devfull", 7, "/dev/full");
        Tool("mkfifo", At("fifo"));
        Tool("mkfifo", At("fifo-in.jpg"));
    }

    public string At(string relative) => Path.Combine(Root, relative);

    /// <summary>Makes a named pipe at <paramref name="relative"/> inside the sandbox (never in /dev).</summary>
    public void Fifo(string relative) => Tool("mkfifo", At(relative));

    /// <summary>SHA-256 of every regular file (links not followed), by path relative to the root.</summary>
    public Dictionary<string, string> Hashes()
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            if (NotebookStyle.Cli.DiskEntry.Of(path, followLinks: false).Kind != NotebookStyle.Cli.FileKind.Regular) continue;
            hashes[Path.GetRelativePath(Root, path)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        return hashes;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void Tool(string name, params string[] args)
    {
        if (!TryTool(name, args)) throw new InvalidOperationException($"{name} {string.Join(' ', args)} failed");
    }

    private static bool TryTool(string name, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(name, args) { UseShellExecute = false, RedirectStandardError = true })!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    /// <summary>A character device like /dev/null (minor 3) or /dev/full (minor 7) named <paramref name="name"/>.</summary>
    private void Device(string name, int minor, string fallback)
    {
        if (!TryTool("mknod", At(name), "c", "1", minor.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            File.CreateSymbolicLink(At(name), fallback);
    }

    private static readonly Lazy<byte[]> SmallMap = new(() => MatrixFixtures.StripedMap(24, 16, 2));

    private static readonly Lazy<byte[]> ExistingPng = new(() =>
    {
        using var image = new Image<Rgb24>(8, 6, new Rgb24(1, 2, 3));
        return ImagingFiles.Encode(image, new PngEncoder());
    });

    private static readonly Lazy<byte[]> TinyInterlacedPng = new(() =>
    {
        using var image = new Image<Rgb24>(2, 2, new Rgb24(9, 9, 9));
        return ImagingFiles.Encode(image, new PngEncoder { ColorType = PngColorType.Rgb, InterlaceMethod = PngInterlaceMode.Adam7 });
    });

    private static readonly Lazy<byte[]> Gif = new(() =>
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(200, 10, 10));
        return ImagingFiles.Encode(image, new GifEncoder());
    });
}
