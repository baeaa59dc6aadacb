namespace NotebookStyle.Provisioning;

/// <summary>One package of a workshop's NuGet folder.</summary>
/// <param name="Id">Package id as NuGet spells it.</param>
/// <param name="Version">Its version.</param>
/// <param name="Path">Its folder in the workshop's NuGet folder (<c>id-lowercase/version</c>).</param>
/// <param name="Copied">True when this run copied it; false when a verified copy was already there.</param>
public sealed record WorkshopPackage(string Id, string Version, string Path, bool Copied);
