using NotebookStyle.Storage;

namespace NotebookStyle.Notebooks;

/// <summary>The environment variables that steer the notebooks from outside (no cell is ever edited for them).</summary>
public static class NotebookEnvironment
{
    /// <summary><c>cpu</c> or <c>cuda</c>: which TorchSharp build the session loads (default: cuda when an NVIDIA GPU is visible).</summary>
    public const string Backend = "NOTEBOOKSTYLE_BACKEND";

    /// <summary><c>1</c>/<c>true</c>: quick mode (smaller images, fewer iterations), as CI runs the notebooks.</summary>
    public const string Quick = "NOTEBOOKSTYLE_QUICK";

    /// <summary>A folder searched first for images by file name (CI and tests use ../shared/images).</summary>
    public const string Images = "NOTEBOOKSTYLE_IMAGES";

    /// <summary>The cache folder (see <see cref="CacheLocation"/>, which defines the name).</summary>
    public const string Cache = CacheLocation.EnvironmentVariable;

    /// <summary><c>inline</c> (default: plotly.js from the Plotly.NET package, works offline), <c>cdn</c> or <c>none</c> (static pictures only).</summary>
    public const string Plotly = "NOTEBOOKSTYLE_PLOTLY";

    /// <summary><c>auto</c> (default), <c>vgg19</c> or <c>resnet18</c>: the network every lesson loads.</summary>
    public const string Network = "NOTEBOOKSTYLE_NETWORK";

    /// <summary>
    /// VGG19 weights for every lesson: a file (.h5, .pth, .safetensors — what a workshop hands out) or the name of a
    /// known source (<c>vgg19-keras</c>, <c>vgg19-torchvision</c>, <c>vgg19-caffe-pth</c>) to take from the cache or download.
    /// </summary>
    public const string Weights = "NOTEBOOKSTYLE_WEIGHTS";

    /// <summary><c>caffe</c> or <c>torchvision</c>: the preprocessing of <see cref="Weights"/> when its file name does not tell.</summary>
    public const string WeightsPreprocessing = "NOTEBOOKSTYLE_WEIGHTS_PREPROCESSING";

    /// <summary>
    /// <c>1</c>: the weights of <see cref="Weights"/> hold random numbers (a test file, as CI's reference-writer file):
    /// the lessons' demonstrations that need trained weights check what untrained ones show instead, and say so.
    /// </summary>
    public const string WeightsUntrained = "NOTEBOOKSTYLE_WEIGHTS_UNTRAINED";

    /// <summary>A variable's value, or null when unset or blank.</summary>
    public static string? Get(string name, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        string? v = overrides is not null ? (overrides.TryGetValue(name, out var o) ? o : null) : Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
    }

    /// <summary>Whether a flag variable is set to 1/true/yes/on.</summary>
    public static bool Flag(string name, IReadOnlyDictionary<string, string?>? overrides = null) =>
        Get(name, overrides)?.ToLowerInvariant() is "1" or "true" or "yes" or "on";

    /// <summary>The cache folder, as <see cref="CacheLocation.Resolve"/> decides it for the variables seen here.</summary>
    public static string CacheFolder(IReadOnlyDictionary<string, string?>? overrides = null) =>
        CacheLocation.Resolve(name => Get(name, overrides));
}
