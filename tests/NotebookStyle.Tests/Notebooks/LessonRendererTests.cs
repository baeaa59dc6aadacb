using System.Text.Json.Nodes;
using NotebookStyle.NotebookRunner;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Notebooks;

public class LessonRendererTests
{
    private static string Png(int size)
    {
        using var image = new Image<Rgb24>(size, size);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return Convert.ToBase64String(stream.ToArray());
    }

    private static JsonObject Output(string mime, string text) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject { [mime] = new JsonArray(text) },
    };

    private static string Notebook() => new JsonObject
    {
        ["cells"] = new JsonArray(
            new JsonObject { ["cell_type"] = "markdown", ["source"] = "# 09 · A lesson\n\nProse.", ["metadata"] = new JsonObject() },
            new JsonObject
            {
                ["cell_type"] = "code",
                ["source"] = "#!import NotebookStyle.dib",
                ["outputs"] = new JsonArray(
                    Output("text/html", "<div><strong>Installed Packages</strong><img src=\"data:image/png;base64," + Png(1) + "\"></div>"),
                    Output("text/plain", "Loading extensions from `x.dll`")),
            },
            new JsonObject
            {
                ["cell_type"] = "code",
                ["source"] = "show()",
                ["outputs"] = new JsonArray(
                    Output("image/png", Png(8)),
                    Output("text/html", "<script>plotly()</script><div>chart</div><img src=\"data:image/png;base64," + Png(6) + "\">"),
                    Output("text/html", "<table><tr><td>1</td></tr></table>"),
                    new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = new JsonArray("loss 1.5\n") },
                    new JsonObject { ["output_type"] = "error", ["ename"] = "Error", ["evalue"] = "a named error" }),
            }),
        ["metadata"] = new JsonObject(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString();

    [Fact]
    public void ProseCodeTextAndEveryPictureWithoutTheKernelsChatter()
    {
        var record = new RunRecord("2026-11-29T10:00:00Z", true, "vgg19", "keras.h5", null, "Linux, 2 logical CPUs, X64",
            [new LessonRun("09-lesson.ipynb", true, 12.3, 2)]);
        var (markdown, pictures) = LessonRenderer.Render(NotebookDocument.Parse(Notebook(), "09-lesson.ipynb"), "09-lesson", record);
        Assert.StartsWith("<!-- Rendered by notebooks/render.sh", markdown);
        Assert.Contains("# 09 · A lesson", markdown);
        Assert.Contains("> Executed 2026-11-29 with network `vgg19`, weights `keras.h5`, in quick mode", markdown);
        Assert.Contains("```csharp\nshow()\n```", markdown);
        Assert.Equal(2, pictures.Count); // the 8×8 PNG and the chart's picture; not the installer's 1-pixel decoration
        Assert.Contains("](images/09-lesson/cell02-00.png)", markdown);
        Assert.Contains("](images/09-lesson/cell02-01.png)", markdown);
        Assert.Contains("<table><tr><td>1</td></tr></table>", markdown);
        Assert.Contains("```text\nloss 1.5\n```", markdown);
        Assert.Contains("error: a named error", markdown);
        Assert.DoesNotContain("Installed Packages", markdown);
        Assert.DoesNotContain("Loading extensions", markdown);
        Assert.DoesNotContain("<script", markdown);
    }

    [Fact]
    public void RenderAllWritesPagesPicturesAndAnIndexFromARunFolder()
    {
        string run = Directory.CreateTempSubdirectory("notebookstyle-render-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(run, "notebooks"));
            File.WriteAllText(Path.Combine(run, "notebooks", "09-lesson.ipynb"), Notebook());
            new RunRecord("2026-11-29T10:00:00Z", false, "resnet18", null, "cpu", "Linux", [new LessonRun("09-lesson.ipynb", true, 12.3, 2)]).Save(run);
            string target = Path.Combine(run, "rendered");
            var files = LessonRenderer.RenderAll(run, target);
            Assert.Equal(4, files.Count);
            Assert.True(File.Exists(Path.Combine(target, "images", "09-lesson", "cell02-00.png")));
            string index = File.ReadAllText(Path.Combine(target, "README.md"));
            Assert.Contains("full mode", index);
            Assert.Contains("| [09 · A lesson](09-lesson.md) | 12 s | 2 |", index);
            Assert.Throws<DirectoryNotFoundException>(() => LessonRenderer.RenderAll(Path.Combine(run, "nothing"), target));
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }
}
