namespace NotebookStyle.Notebooks;

/// <summary>
/// Raw HTML to display. The library's own type (rather than ASP.NET's <c>HtmlString</c>), so that it binds to no
/// particular version of Microsoft.AspNetCore.Html.Abstractions: the kernel's copy differs from the one served to build with.
/// </summary>
/// <param name="Html">The markup, shown as is.</param>
public sealed record HtmlOutput(string Html);
