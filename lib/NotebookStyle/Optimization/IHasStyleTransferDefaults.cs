namespace NotebookStyle.Optimization;

/// <summary>
/// A feature extractor from outside the library that says what it stylises well with (the library's own networks have
/// theirs in <see cref="NetworkDefaults"/>).
/// </summary>
public interface IHasStyleTransferDefaults
{
    /// <summary>The <see cref="StylePreset.Default"/> settings.</summary>
    StyleTransferDefaults Defaults { get; }

    /// <summary>The settings of a preset (unless the network knows better: <see cref="NetworkDefaults.ByStyleWeight"/>).</summary>
    StyleTransferDefaults DefaultsFor(StylePreset preset) => NetworkDefaults.ByStyleWeight(Defaults, preset);
}
