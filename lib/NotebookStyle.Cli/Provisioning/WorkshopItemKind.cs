namespace NotebookStyle.Provisioning;

/// <summary>What a workshop item is; <see cref="WorkshopWords.Word(WorkshopItemKind)"/> is how the manifest and the report name it.</summary>
public enum WorkshopItemKind
{
    /// <summary>VGG19 weights of a weight source (<c>weights</c>).</summary>
    Weights,
    /// <summary>A catalogue painting (<c>painting</c>).</summary>
    Painting,
    /// <summary>A NuGet package of the kernel's closure (<c>package</c>).</summary>
    Package,
}
