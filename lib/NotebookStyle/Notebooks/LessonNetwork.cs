using NotebookStyle.Imaging;
using NotebookStyle.Storage;
using NotebookStyle.Weights;

namespace NotebookStyle.Notebooks;

/// <summary>
/// The network every lesson loads, as the environment asks — the same in every lesson, so a workshop sets it once:
/// <see cref="NotebookEnvironment.Network"/> (auto, vgg19, resnet18), <see cref="NotebookEnvironment.Weights"/> (a
/// VGG19 weights file, or a known source's name) and <see cref="NotebookEnvironment.WeightsPreprocessing"/>.
/// Nothing set: <c>auto</c> (VGG19 from the cache or a download, else the offline ResNet18 default).
/// </summary>
/// <param name="Choice">Which network.</param>
/// <param name="WeightsFile">A local VGG19 weights file, or null.</param>
/// <param name="Source">The known source to take from the cache or download when no file is given.</param>
/// <param name="Preprocessing">The preprocessing of <paramref name="WeightsFile"/> when its name does not tell.</param>
public sealed record LessonNetwork(NetworkChoice Choice, string? WeightsFile, WeightSource Source, Preprocessing? Preprocessing)
{
    /// <summary>Reads the settings (the process environment, or <paramref name="environment"/> in tests).</summary>
    /// <exception cref="NotebookSetupException">A variable holds something unusable; the message names it.</exception>
    public static LessonNetwork FromEnvironment(IReadOnlyDictionary<string, string?>? environment = null)
    {
        string? network = NotebookEnvironment.Get(NotebookEnvironment.Network, environment);
        string? weights = NotebookEnvironment.Get(NotebookEnvironment.Weights, environment);
        string? preprocessing = NotebookEnvironment.Get(NotebookEnvironment.WeightsPreprocessing, environment);

        NetworkChoice? choice = null;
        if (network is not null)
        {
            try { choice = Networks.Parse(network); }
            catch (NotebookStyleException) { throw Bad(NotebookEnvironment.Network, network, "use auto, vgg19 or resnet18"); }
        }
        Preprocessing? pre = null;
        if (preprocessing is not null)
        {
            try { pre = Imaging.Preprocessing.Parse(preprocessing); }
            catch (Exception ex) when (ex is ArgumentException or NotebookStyleException) { throw Bad(NotebookEnvironment.WeightsPreprocessing, preprocessing, "use caffe or torchvision"); }
        }

        string? file = null;
        var source = WeightSource.Default;
        if (weights is not null)
        {
            if (choice == NetworkChoice.ResNet18)
                throw new NotebookSetupException($"{NotebookEnvironment.Weights} names VGG19 weights, but {NotebookEnvironment.Network}=resnet18: unset one of them.");
            if (WeightSource.FindKnown(weights) is { } known && !File.Exists(weights)) source = known;
            else if (File.Exists(weights)) file = Path.GetFullPath(weights);
            else
                throw Bad(NotebookEnvironment.Weights, weights, "no such file, and not a known source (" +
                    string.Join(", ", WeightSource.Available().Select(k => k.Name)) + ")");
            choice ??= NetworkChoice.Vgg19; // weights were given: the lessons are to run on them, not fall back
        }
        return new LessonNetwork(choice ?? NetworkChoice.Auto, file, source, pre);
    }

    /// <summary>Network options for these settings; <paramref name="progress"/> shows a download.</summary>
    public NetworkOptions Options(IProgress<DownloadProgress>? progress = null) => new()
    {
        WeightsPath = WeightsFile,
        WeightsPreprocessing = Preprocessing,
        Source = Source,
        DownloadProgress = progress,
    };

    /// <summary>One line for the session table.</summary>
    public override string ToString() => Choice.ToString().ToLowerInvariant() +
        (WeightsFile is not null ? $", weights {WeightsFile}" : Choice == NetworkChoice.ResNet18 ? "" : $", weights {Source.Name} (cache or download)");

    private static NotebookSetupException Bad(string variable, string value, string hint) => new($"{variable}='{value}': {hint}.");
}
