using NotebookStyle.Cli;
using NotebookStyle.Imaging;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Cli;

/// <summary>Where the CLI writes: checked before the run, links followed, and a failed write at the end kept elsewhere.</summary>
public class OutputSafetyTests
{
    private static string Folder()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nstyle-out-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [LinuxFact]
    public void AWriteThatFailsAtTheEndIsKeptInTheTemporaryFolder()
    {
        Torch.Ready();
        string dir = Folder();
        try
        {
            var target = OutputTarget.Check("--output", Path.Combine(dir, "sub", "out.png"));
            // After the check the folder's place is taken by a regular file: the write there must fail.
            File.WriteAllText(Path.Combine(dir, "sub"), "in the way");
            using var image = rand(1, 3, 8, 8);
            var outcome = ResultWriter.WriteImage(image, target, ImageFileFormat.Png, 90);
            Assert.False(outcome.AsAsked);
            Assert.NotNull(outcome.Path);
            try
            {
                Assert.StartsWith(Path.GetTempPath(), outcome.Path);
                using var kept = ImageLoader.Load(outcome.Path!);
                Assert.Equal(8, kept.Width);
                string said = outcome.Describe(target);
                Assert.Contains(outcome.Path!, said);
                Assert.Contains("failed", said);
            }
            finally { File.Delete(outcome.Path!); }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [LinuxFact]
    public void ALinkIsFollowedToTheFileItNames()
    {
        string dir = Folder();
        try
        {
            File.WriteAllText(Path.Combine(dir, "real.png"), "old");
            Directory.CreateDirectory(Path.Combine(dir, "inner"));
            File.CreateSymbolicLink(Path.Combine(dir, "inner", "second.png"), Path.Combine("..", "real.png"));
            File.CreateSymbolicLink(Path.Combine(dir, "first.png"), Path.Combine("inner", "second.png"));
            var target = OutputTarget.Check("--output", Path.Combine(dir, "first.png"));
            Assert.Equal(Path.Combine(dir, "real.png"), target.WritePath);
            Assert.True(target.Replaces(Path.Combine(dir, "real.png")));
            // A dangling link writes where it points.
            File.CreateSymbolicLink(Path.Combine(dir, "dangling.png"), "later.png");
            Assert.Equal(Path.Combine(dir, "later.png"), OutputTarget.Check("--output", Path.Combine(dir, "dangling.png")).WritePath);
            Assert.Equal(new[] { "dangling.png", "first.png", "inner", "real.png" }, Directory.GetFileSystemEntries(dir).Select(e => Path.GetFileName(e)).Order().ToArray()); // no probe left
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [LinuxFact]
    public void SpecialFilesAreToldApart()
    {
        Assert.Equal(FileKind.CharacterDevice, DiskEntry.Of("/dev/null").Kind);
        Assert.Equal(FileKind.Directory, DiskEntry.Of("/tmp").Kind);
        Assert.Equal(FileKind.Missing, DiskEntry.Of("/nonexistent/x").Kind);
        Assert.Equal(FileKind.Regular, DiskEntry.Of(TestPaths.SharedImage("golden_gate.jpg")).Kind);
        Assert.True(DiskEntry.Of(TestPaths.SharedImage("golden_gate.jpg")).IsSameFileAs(DiskEntry.Of(TestPaths.SharedImage("golden_gate.jpg"))));
        Assert.False(DiskEntry.Of(TestPaths.SharedImage("golden_gate.jpg")).IsSameFileAs(DiskEntry.Of(TestPaths.SharedImage("starry_night.jpg"))));
    }

    [Theory]
    [InlineData("out.png", ImageFileFormat.Png)]
    [InlineData("OUT.JPG", ImageFileFormat.Jpeg)]
    [InlineData("a.b.jpeg", ImageFileFormat.Jpeg)]
    public void TheExtensionChoosesTheFormat(string name, ImageFileFormat format) => Assert.Equal(format, ImageWriter.FormatOf(name));

    [Theory]
    [InlineData("out.bmp")]
    [InlineData("out.webp")]
    [InlineData("out")]
    public void OtherExtensionsAreRefusedByName(string name)
    {
        var ex = Assert.Throws<NotebookStyleException>(() => new OutputTarget("--output", name, name).ImageFormat());
        Assert.Contains(".png or .jpg", ex.Message);
    }
}
