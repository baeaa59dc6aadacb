using Plotly.NET;

namespace NotebookStyle.Visualization;

/// <summary>
/// Plotly.NET calls that are safe in notebook kernels. There, kernel-compiled code and this library bind FSharp.Core
/// 10.1 (from the package) while Plotly.NET itself binds the kernel's 10.0, so any Plotly.NET method whose signature
/// mentions an FSharp.Core type (FSharpFunc, FSharpList: e.g. <c>Chart.withTitle</c>, <c>GenericChart.getTraces</c>)
/// throws MissingMethodException (measured with dotnet-repl 0.3.259). These helpers use only signatures without F#
/// types: layouts and traces are dynamic objects whose properties are set by name.
/// </summary>
internal static class PlotlyInterop
{
    public static GenericChart WithTitle(GenericChart chart, string title)
    {
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("title", new Dictionary<string, object> { ["text"] = title });
        return GenericChart.setLayout(layout, chart);
    }

    public static GenericChart WithLayout(GenericChart chart, string name, object value)
    {
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty(name, value);
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>Sets <paramref name="property"/> on the layout object <paramref name="name"/> (e.g. an axis), creating it when absent.</summary>
    public static GenericChart SetOnLayoutObject(GenericChart chart, string name, string property, object value)
    {
        var layout = GenericChart.getLayout(chart);
        if (layout.GetPropertyNames(true).Contains(name) && layout.GetPropertyValue(name) is DynamicObj.DynamicObj existing)
            existing.SetProperty(property, value);
        else
            layout.SetProperty(name, new Dictionary<string, object> { [property] = value });
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>A chart of one 2-D trace of <paramref name="type"/> (e.g. heatmap) with the given properties.</summary>
    public static GenericChart Trace(string type, IEnumerable<KeyValuePair<string, object>> properties)
    {
        var trace = new Trace2D(type);
        foreach (var (k, v) in properties) trace.SetProperty(k, v);
        return GenericChart.ofTraceObject(true, trace);
    }
}
