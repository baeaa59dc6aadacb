namespace NotebookStyle.Provisioning;

/// <summary>A prepared and verified workshop folder, and how to point the notebooks at it.</summary>
/// <param name="Folder">The workshop folder.</param>
/// <param name="Items">Everything in it.</param>
/// <param name="Environment">The variables to set (name and value), in the order to print them.</param>
public sealed record WorkshopReport(string Folder, IReadOnlyList<WorkshopItem> Items, IReadOnlyList<(string Name, string Value)> Environment)
{
    /// <summary>How to point the notebooks at the folder: shell lines, then what they do.</summary>
    public string Instructions =>
        $"Workshop folder ready: {Folder} ({Count(WorkshopItemKind.Weights)} weights, {Count(WorkshopItemKind.Painting)} paintings, {Count(WorkshopItemKind.Package)} packages; " +
        $"all verified). On each machine, before starting VS Code, Jupyter or notebooks/run.sh:\n" +
        string.Join("\n", Environment.Select(e => $"  export {e.Name}={Quote(e.Value)}")) + "\n" +
        $"(PowerShell: $env:NAME = \"VALUE\"; the same lines are in {System.IO.Path.Combine(Folder, Workshop.EnvironmentFile)}, " +
        "ready for `source`.) The notebooks then find the weights and paintings in the cache and the kernel restores its packages " +
        "from the folder, with no network.";

    private int Count(WorkshopItemKind kind) => Items.Count(i => i.Kind == kind);

    internal static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '\\') ? value : "'" + value.Replace("'", "'\\''") + "'";
}
