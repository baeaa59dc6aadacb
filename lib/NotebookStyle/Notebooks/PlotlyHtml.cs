using System.Net;
using System.Text;
using NotebookStyle.Visualization;
using GenericChart = Plotly.NET.GenericChart;
using SixLabors.ImageSharp;

namespace NotebookStyle.Notebooks;

/// <summary>Where a figure's plotly.js comes from.</summary>
public enum PlotlyScriptMode
{
    /// <summary>From the Plotly.NET package (embedded once per notebook by the session setup): works offline.</summary>
    Inline,
    /// <summary>From the public CDN (needs internet; smaller outputs).</summary>
    Cdn,
    /// <summary>No interactive chart: the static picture only.</summary>
    None,
}

/// <summary>
/// The HTML of a <see cref="Figure"/>: its static PNG first (always readable: offline, on GitHub, when scripts are
/// off), replaced by the interactive Plotly chart as soon as plotly.js is available in the page.
/// </summary>
public static class PlotlyHtml
{
    /// <summary>The plotly.js version inside Plotly.NET 6.0.0.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    /// <summary>The script mode from <see cref="NotebookEnvironment.Plotly"/> (default inline).</summary>
    public static PlotlyScriptMode ModeFromEnvironment(IReadOnlyDictionary<string, string?>? environment = null) =>
        NotebookEnvironment.Get(NotebookEnvironment.Plotly, environment)?.ToLowerInvariant() switch
        {
            null or "inline" => PlotlyScriptMode.Inline,
            "cdn" => PlotlyScriptMode.Cdn,
            "none" or "static" => PlotlyScriptMode.None,
            var v => throw new NotebookSetupException($"{NotebookEnvironment.Plotly}='{v}': use inline, cdn or none."),
        };

    /// <summary>plotly.js as shipped inside Plotly.NET (MIT), or null if this Plotly.NET has none.</summary>
    public static string? EmbeddedPlotlyJs()
    {
        var asm = typeof(GenericChart).Assembly;
        string? name = asm.GetManifestResourceNames().FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        if (name is null) return null;
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A script element that defines <c>window.Plotly</c> unless the page has it already. AMD loaders (require.js in
    /// Jupyter) are hidden from the bundle so that it always sets the global.
    /// </summary>
    public static string LoaderHtml(PlotlyScriptMode mode)
    {
        switch (mode)
        {
            case PlotlyScriptMode.Inline:
                string js = EmbeddedPlotlyJs() ?? throw new NotebookSetupException("This Plotly.NET ships no plotly.js; set NOTEBOOKSTYLE_PLOTLY=cdn or none.");
                return "<script type=\"text/javascript\">if (!window.Plotly) { (function (define, module, exports) {\n" +
                       js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "\n})(undefined, undefined, undefined); }</script>";
            case PlotlyScriptMode.Cdn:
                return $"<script type=\"text/javascript\">if (!window.Plotly && !document.getElementById('nbstyle-plotly')) {{ var s = document.createElement('script'); s.id = 'nbstyle-plotly'; " +
                       $"s.src = 'https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js'; var d = window.define; window.define = undefined; s.onload = function () {{ window.define = d; }}; document.head.appendChild(s); }}</script>";
            default:
                return "";
        }
    }

    /// <summary>The figure as HTML: static picture, then the interactive chart when <paramref name="mode"/> allows.</summary>
    public static string Render(Figure figure, PlotlyScriptMode mode)
    {
        string id = "nbstyle-" + Guid.NewGuid().ToString("N")[..12];
        string png;
        using (var image = figure.ToImage()) png = Png.Base64(image);
        var html = new StringBuilder();
        html.Append($"<div class=\"nbstyle-figure\"><img id=\"{id}-static\" src=\"data:image/png;base64,{png}\" alt=\"{WebUtility.HtmlEncode(figure.Title)}\" width=\"{figure.Width}\" height=\"{figure.Height}\"/>");
        if (mode != PlotlyScriptMode.None)
        {
            string json = GenericChart.toFigureJson(figure.ToPlotly()).Replace("</", "<\\/", StringComparison.Ordinal);
            html.Append($"<div id=\"{id}\" style=\"display:none;width:{figure.Width}px;height:{figure.Height}px\"></div>");
            if (mode == PlotlyScriptMode.Cdn) html.Append(LoaderHtml(PlotlyScriptMode.Cdn));
            html.Append("<script type=\"text/javascript\">(function () { var fig = ").Append(json).Append("; var tries = 0; function draw() { ")
                .Append($"var el = document.getElementById('{id}'); if (!el) return; ")
                .Append("if (window.Plotly) { el.style.display = 'block'; ")
                .Append($"var img = document.getElementById('{id}-static'); if (img) img.style.display = 'none'; ")
                .Append("window.Plotly.newPlot(el, fig.data, fig.layout || {}, fig.config || {}); } ")
                .Append("else if (tries++ < 100) setTimeout(draw, 100); } draw(); })();</script>");
        }
        html.Append("</div>");
        return html.ToString();
    }
}
