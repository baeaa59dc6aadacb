using NotebookStyle.Models;

namespace NotebookStyle.Weights;

/// <summary>A network ready to use, with a description of where its weights came from.</summary>
/// <param name="Network">The feature extractor, frozen, on its device.</param>
/// <param name="Weights">Where the weights came from (a file, a package, or "random (seed N)").</param>
/// <param name="Notices">Things the user should see, e.g. why <c>auto</c> fell back to the offline default.</param>
public sealed record LoadedNetwork(FeatureExtractor Network, string Weights, IReadOnlyList<string> Notices)
{
    /// <summary>
    /// Whether the weights are trained (ImageNet): false for seeded random weights, and for a file its user declared to
    /// hold random numbers (a test file; the notebooks' <c>NOTEBOOKSTYLE_WEIGHTS_UNTRAINED=1</c>). What a pretrained
    /// network shows (smooth first-layer filters, textures from Gram matrices) is only promised when true.
    /// </summary>
    public bool Trained { get; init; } = true;

    /// <summary>
    /// Why <c>auto</c> fell back to the offline ResNet18 default instead of VGG19 (the reason alone, e.g. the download's
    /// error and where to put the file), or null when it did not fall back. The same reason is in <see cref="Notices"/>.
    /// </summary>
    public string? FallbackReason { get; init; }

    /// <summary>The notice of a fallback: "Using the offline ResNet18 default: " and the reason.</summary>
    public static string FallbackNotice(string reason) => $"Using the offline ResNet18 default: {reason}";

    /// <summary>Whether <paramref name="notice"/> is this network's fallback notice.</summary>
    public bool IsFallbackNotice(string notice) => FallbackReason is { } reason && notice == FallbackNotice(reason);
}
