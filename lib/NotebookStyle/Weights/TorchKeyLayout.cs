namespace NotebookStyle.Weights;

/// <summary>
/// How a PyTorch-named state dict (a .pth or safetensors file) spells VGG19's parameters. Each layout is an explicit
/// prefix; loading is strict: every parameter must be present and every other key is an error, except the classifier
/// of a whole model, which is ignored by name. (PyBridge's non-strict load would silently load nothing on a prefix
/// mismatch; that never happens here.)
/// </summary>
/// <param name="FeaturesPrefix">Prefix before <c>N.weight</c>: <c>features.</c>, empty, <c>module.features.</c> or <c>module.</c>.</param>
/// <param name="IgnoredPrefix">Keys under this prefix (the classifier) are ignored; null when none are.</param>
/// <param name="Description">What kind of file has this layout.</param>
public sealed record TorchKeyLayout(string FeaturesPrefix, string? IgnoredPrefix, string Description)
{
    /// <summary>The layouts recognised, in the order they are tried.</summary>
    public static IReadOnlyList<TorchKeyLayout> All { get; } =
    [
        new("features.", "classifier.", "a torchvision VGG19 state dict (classifier ignored)"),
        new("", null, "a state dict of VGG19's features alone"),
        new("module.features.", "module.classifier.", "a DataParallel-wrapped VGG19 state dict (classifier ignored)"),
        new("module.", null, "a DataParallel-wrapped features state dict"),
    ];

    /// <summary>
    /// Picks the layout of <paramref name="keys"/> and maps each expected parameter to its key in the file.
    /// </summary>
    /// <returns>Expected <see cref="Vgg19Parameter.Key"/> → key in the file, in the architecture's order.</returns>
    /// <exception cref="WeightsMismatchException">No layout fits, a parameter is missing, or a key is unexpected.</exception>
    public static (TorchKeyLayout Layout, IReadOnlyList<(Vgg19Parameter Parameter, string FileKey)> Map) Resolve(
        IReadOnlyCollection<string> keys, IReadOnlyList<Vgg19Parameter> expected, string file)
    {
        var set = keys as IReadOnlySet<string> ?? new HashSet<string>(keys, StringComparer.Ordinal);
        string name = Path.GetFileName(file);
        string firstSuffix = Suffix(expected[0]);
        var layout = All.FirstOrDefault(l => set.Contains(l.FeaturesPrefix + firstSuffix));
        if (layout is null)
        {
            var sample = keys.Order(StringComparer.Ordinal).Take(3).ToList();
            throw new WeightsMismatchException(sample.FirstOrDefault() ?? "(no keys)",
                $"{name}: no VGG19 features found. Expected keys like features.0.weight (a torchvision model) or 0.weight " +
                $"(a features state dict); the file has {keys.Count} keys, e.g. {string.Join(", ", sample)}.");
        }

        var map = new List<(Vgg19Parameter, string)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in expected)
        {
            string key = layout.FeaturesPrefix + Suffix(p);
            if (!set.Contains(key))
                throw new WeightsMismatchException(key,
                    $"{name}: {key} is missing ({p.KerasLayer} {(p.IsBias ? "bias" : "kernel")}); the file looks like {layout.Description}.");
            map.Add((p, key));
            used.Add(key);
        }
        var unexpected = keys.Where(k => !used.Contains(k) && (layout.IgnoredPrefix is null || !k.StartsWith(layout.IgnoredPrefix, StringComparison.Ordinal)))
                             .Order(StringComparer.Ordinal).FirstOrDefault();
        if (unexpected is not null)
            throw new WeightsMismatchException(unexpected,
                $"{name}: unexpected key {unexpected}: not a parameter of VGG19's features" +
                (layout.IgnoredPrefix is null ? "" : $" nor of its ignored classifier ({layout.IgnoredPrefix}*)") +
                $"; the file looks like {layout.Description}. Is it another network (e.g. VGG19 with batch norm)?");
        return (layout, map);
    }

    private static string Suffix(Vgg19Parameter p) => p.Key["features.".Length..];
}
