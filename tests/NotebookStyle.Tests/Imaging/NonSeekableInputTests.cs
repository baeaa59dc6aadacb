using System.IO.Pipes;
using NotebookStyle.Imaging;

namespace NotebookStyle.Tests.Imaging;

/// <summary>Pipes (<c>&lt;(cat photo.jpg)</c> is /dev/fd/N, a pipe) cannot seek and can be read only once.</summary>
public class NonSeekableInputTests
{
    /// <summary>Runs <paramref name="use"/> on a /proc/self/fd path whose other end is fed <paramref name="bytes"/>.</summary>
    private static T ThroughPipe<T>(byte[] bytes, Func<string, T> use)
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        string path = $"/proc/self/fd/{server.ClientSafePipeHandle.DangerousGetHandle()}";
        var writer = Task.Run(() =>
        {
            try { server.Write(bytes); }
            catch (IOException) { /* the reader stopped early: over its limit */ }
            server.Dispose();
        });
        try { return use(path); }
        finally
        {
            server.DisposeLocalCopyOfClientHandle();
            writer.Wait(TimeSpan.FromSeconds(10));
        }
    }

    [LinuxFact]
    public void IdentifyReadsAPipe()
    {
        byte[] jpeg = File.ReadAllBytes(TestPaths.SharedImage("golden_gate.jpg"));
        var (width, height, format) = ThroughPipe(jpeg, path => ImageLoader.Identify(path));
        Assert.Equal("JPEG", format);
        Assert.True(width > height);
    }

    [LinuxFact]
    public void ReadAllBytesThenIdentifyAndLoadUseThePipeOnce()
    {
        byte[] jpeg = File.ReadAllBytes(TestPaths.SharedImage("golden_gate.jpg"));
        byte[] read = ThroughPipe(jpeg, path => ImageLoader.ReadAllBytes(path));
        Assert.Equal(jpeg, read);
        var (width, height, _) = ImageLoader.Identify(read, "pipe");
        using var image = ImageLoader.Load(read, "pipe");
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [LinuxFact]
    public void APipeIsBoundedByTheByteLimit()
    {
        var options = new ImageLoadOptions(MaxFileBytes: 1000);
        var ex = Assert.Throws<ImageTooLargeException>(() => ThroughPipe(new byte[5000], path => ImageLoader.ReadAllBytes(path, options)));
        Assert.Contains("more than 1,000 bytes", ex.Message);
    }
}
