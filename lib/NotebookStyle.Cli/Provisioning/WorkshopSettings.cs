using NotebookStyle.Notebooks;
using NotebookStyle.Weights;

namespace NotebookStyle.Provisioning;

/// <summary>What <see cref="Workshop.Prepare"/> gathers, and where.</summary>
public sealed record WorkshopSettings
{
    /// <summary>The workshop folder: <c>cache/</c> (weights, <c>cache/images/</c> paintings) and <c>nuget/</c> go into it.</summary>
    public required string Folder { get; init; }

    /// <summary>The VGG19 weights to gather (default: the Keras example's, <see cref="WeightSource.Default"/>).</summary>
    public IReadOnlyList<WeightSource> Sources { get; init; } = [WeightSource.Default];

    /// <summary>Whether to gather the NuGet packages a notebook kernel restores (slow and large: TorchSharp's natives).</summary>
    public bool IncludePackages { get; init; } = true;

    /// <summary>Which TorchSharp build the class's kernels load.</summary>
    public NotebookBackend Backend { get; init; } = NotebookBackend.Cpu;

    /// <summary>The image catalogue (null: the repository's <c>images/catalog.json</c>, found from the current folder).</summary>
    public string? CatalogPath { get; init; }

    /// <summary>
    /// The package roots to gather with all their dependencies (null: the kernel's, <see cref="TorchPackages.References"/>,
    /// plus the <c>NotebookStyle</c> package when <see cref="PackageFeed"/> holds it).
    /// </summary>
    public IReadOnlyList<(string Id, string Version)>? PackageRoots { get; init; }

    /// <summary>A local feed restored from besides the configured ones (null: the repository's <c>out/feed</c>, when present).</summary>
    public string? PackageFeed { get; init; }

    /// <summary>How long the package restore may take.</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromMinutes(30);
}
