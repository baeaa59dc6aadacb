using NotebookStyle.Models;

namespace NotebookStyle.Weights;

/// <summary>A network ready to use, with a description of where its weights came from.</summary>
/// <param name="Network">The feature extractor, frozen, on its device.</param>
/// <param name="Weights">Where the weights came from (a file, a package, or "random (seed N)").</param>
/// <param name="Notices">Things the user should see, e.g. why <c>auto</c> fell back to the offline default.</param>
public sealed record LoadedNetwork(FeatureExtractor Network, string Weights, IReadOnlyList<string> Notices);
