using System.Text.Json.Nodes;
using NotebookStyle.NotebookRunner;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Notebooks;

public class OutputScanTests
{
    private static string Png(int w, int h)
    {
        using var img = new Image<Rgb24>(w, h);
        using var ms = new MemoryStream();
        img.SaveAsPng(ms);
        return Convert.ToBase64String(ms.ToArray());
    }

    [Fact]
    public void LibtorchLogLinesInTheKernelsOutputAreFound()
    {
        const string log = "Installing packages...\n[W1206 21:19:05.168263050 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.\n" +
                           "done in 3.2 s\n  [E1206 21:19:06.000000001 Conv.cpp:12] something broke\nprogress [W] 50%\n";
        var lines = OutputScan.NativeLogLines(log);
        Assert.Equal(2, lines.Count);
        Assert.Contains("NNPACK", lines[0]);
        Assert.StartsWith("[E1206", lines[1]);
        Assert.Empty(OutputScan.NativeLogLines("wrote out.png (64×48, 3 iterations)\n[Warning] not libtorch\n"));
    }

    [Fact]
    public void ErrorsAndPicturesAreFound()
    {
        var outputs = new JsonArray(
            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["image/png"] = Png(8, 6), ["text/html"] = $"<img src=\"data:image/png;base64,{Png(8, 6)}\">" } },
            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = new JsonArray($"<figure><img src=\"data:image/png;base64,{Png(5, 5)}\"/>", "</figure>") } },
            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = $"<img src=\"data:image/png;base64,{Png(1, 1)}\">" } },
            new JsonObject { ["output_type"] = "error", ["ename"] = "Error", ["evalue"] = "System.Exception: boom\n   at X", ["traceback"] = new JsonArray() },
            new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "fine" });
        var json = new JsonObject
        {
            ["cells"] = new JsonArray(
                new JsonObject { ["cell_type"] = "markdown", ["source"] = "x" },
                new JsonObject { ["cell_type"] = "code", ["source"] = new JsonArray("a\n", "b"), ["outputs"] = outputs, ["execution_count"] = null }),
        }.ToJsonString();
        var nb = NotebookDocument.Parse(json, "x.ipynb");
        Assert.Equal("a\nb", nb.Cells[1].Source);
        var errors = OutputScan.Errors(nb);
        Assert.Equal(new NotebookError(1, "Error: System.Exception: boom"), Assert.Single(errors));
        var pictures = OutputScan.Pictures(nb);
        Assert.Equal(2, pictures.Count);
        Assert.Equal((1, 0), (pictures[0].Cell, pictures[0].Index));
        using var second = Image.Load<Rgb24>(pictures[1].Bytes);
        Assert.Equal(5, second.Width);
    }

    [Fact]
    public void OptionsParse()
    {
        var o = RunnerOptions.Parse(["--timeout", "90", "--out", "o", "a.ipynb"])!;
        Assert.Equal((TimeSpan.FromSeconds(90), "o", false), (o.Timeout, o.Out, o.Check));
        Assert.Equal(["a.ipynb"], o.Notebooks);
        Assert.True(RunnerOptions.Parse(["--check"])!.Check);
        Assert.Null(RunnerOptions.Parse(["--bogus"]));
        Assert.Null(RunnerOptions.Parse(["--timeout", "-1"]));
    }

    [Fact]
    public void AFailedResultSaysWhy()
    {
        var r = new ExecutionResult("n.ipynb", null, TimeSpan.FromSeconds(3), [new NotebookError(2, "Error: x")], 0, "timed out after 3 s (killed)");
        Assert.False(r.Passed);
        string s = r.Summary();
        Assert.StartsWith("FAIL n.ipynb", s);
        Assert.Contains("timed out", s);
        Assert.Contains("cell 2: Error: x", s);
        Assert.True(new ExecutionResult("ok.ipynb", 0, TimeSpan.Zero, [], 3, null).Passed);
    }
}
