using Microsoft.DotNet.Interactive.Formatting;
using NotebookStyle.Notebooks;
using NotebookStyle.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks;

public class NotebookFormattersTests
{
    static NotebookFormattersTests() => NotebookFormatters.Register(PlotlyScriptMode.Inline);

    [Fact]
    public void ImagesFormatAsBase64Png()
    {
        using var img = new Image<Rgb24>(7, 5);
        string b64 = img.ToDisplayString("image/png");
        using var decoded = Image.Load<Rgb24>(Convert.FromBase64String(b64));
        Assert.Equal((7, 5), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void ImageTensorsArePicturesOthersAreNumbers()
    {
        Torch.Ready();
        using var image = rand(1, 3, 16, 16);
        using var small = ones(2, 3);
        Assert.True(NotebookFormatters.IsImageLike(image));
        Assert.False(NotebookFormatters.IsImageLike(small));
        using var ints = zeros(1, 3, 16, 16, dtype: ScalarType.Int32);
        Assert.False(NotebookFormatters.IsImageLike(ints));
        Assert.Contains("data:image/png;base64,", image.ToDisplayString("text/html"));
        string numbers = small.ToDisplayString("text/html");
        Assert.StartsWith("<pre>", numbers);
        Assert.Contains("[2, 3]", numbers);
    }

    [Fact]
    public void FiguresCarryTheStaticPictureAndThePlotlyScript()
    {
        var fig = new LineFigure("t", [new Series("a", [1.0, 2], [3.0, 4])]);
        string html = fig.ToDisplayString("text/html");
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"a\"", html);
        Assert.DoesNotContain("plotly.js v", html);
        string staticOnly = PlotlyHtml.Render(fig, PlotlyScriptMode.None);
        Assert.DoesNotContain("<script", staticOnly);
        Assert.False(string.IsNullOrEmpty(fig.ToDisplayString("image/png")));
    }

    [Fact]
    public void PlotlyJsIsShippedAndGuarded()
    {
        string? js = PlotlyHtml.EmbeddedPlotlyJs();
        Assert.NotNull(js);
        Assert.Contains("plotly.js v" + PlotlyHtml.PlotlyJsVersion, js);
        string loader = PlotlyHtml.LoaderHtml(PlotlyScriptMode.Inline);
        Assert.StartsWith("<script type=\"text/javascript\">if (!window.Plotly)", loader);
        Assert.Contains("cdn.plot.ly/plotly-" + PlotlyHtml.PlotlyJsVersion, PlotlyHtml.LoaderHtml(PlotlyScriptMode.Cdn));
        Assert.Equal("", PlotlyHtml.LoaderHtml(PlotlyScriptMode.None));
        Assert.Equal(PlotlyScriptMode.None, PlotlyHtml.ModeFromEnvironment(new Dictionary<string, string?> { [NotebookEnvironment.Plotly] = "none" }));
        Assert.Equal(PlotlyScriptMode.Inline, PlotlyHtml.ModeFromEnvironment(new Dictionary<string, string?>()));
        Assert.Throws<NotebookSetupException>(() => PlotlyHtml.ModeFromEnvironment(new Dictionary<string, string?> { [NotebookEnvironment.Plotly] = "svg" }));
    }

    [Fact]
    public void RawHtmlIsWrittenAsIs() =>
        Assert.Equal("<b>x</b>", new HtmlOutput("<b>x</b>").ToDisplayString("text/html"));
}
