namespace NotebookStyle.Tests;

/// <summary>The shared sample images (../shared/images beside the repository, or NOTEBOOKSTYLE_IMAGES).</summary>
public static class SharedImages
{
    public static string Path(string name)
    {
        foreach (var dir in Folders())
        {
            string p = System.IO.Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException($"Test image {name} not found in {string.Join("; ", Folders())}.");
    }

    private static IEnumerable<string> Folders()
    {
        if (Environment.GetEnvironmentVariable("NOTEBOOKSTYLE_IMAGES") is { Length: > 0 } env) yield return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            yield return System.IO.Path.Combine(d.FullName, "shared", "images");
            yield return System.IO.Path.Combine(d.FullName, "images");
        }
    }
}
