namespace NotebookStyle.Provisioning;

/// <summary>One thing in a workshop folder and what was done about it.</summary>
/// <param name="Kind">Weights, a painting or a package.</param>
/// <param name="Name">The weight source's name, the image's id, or <c>id version</c>.</param>
/// <param name="Path">Where it is in the workshop folder.</param>
/// <param name="Status">Verified (already there), downloaded, replaced (a damaged copy was removed and fetched again) or copied.</param>
public sealed record WorkshopItem(WorkshopItemKind Kind, string Name, string Path, WorkshopStatus Status);
