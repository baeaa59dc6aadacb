namespace NotebookStyle.Notebooks;

/// <summary>
/// Sizes and budgets of the lessons. Quick mode (<see cref="NotebookEnvironment.Quick"/>=1, as CI runs them) shrinks
/// them so that the whole course runs in a few minutes on two CPU cores; nothing in a cell changes. A learner can also
/// switch it from a cell (<see cref="Session.UseQuickMode"/>).
/// </summary>
/// <param name="Quick">Whether quick mode is on.</param>
/// <param name="ImageSize">Long side of the images of the main style transfer, in pixels.</param>
/// <param name="Iterations">Iterations of the main style transfer.</param>
/// <param name="ExperimentSize">Long side of each experiment's images.</param>
/// <param name="ExperimentIterations">Iterations of each experiment.</param>
/// <param name="MapsPerLayer">Feature maps shown per layer.</param>
/// <param name="ImageEvery">Live progress shows the image every this many iterations.</param>
public sealed record LessonSettings(bool Quick, int ImageSize, int Iterations, int ExperimentSize, int ExperimentIterations, int MapsPerLayer, int ImageEvery)
{
    /// <summary>The full lessons (a GPU, or patience on a CPU).</summary>
    public static LessonSettings Full { get; } = new(false, 320, 200, 192, 80, 16, 10) { PrintSize = 1280 };

    /// <summary>Quick mode.</summary>
    public static LessonSettings QuickMode { get; } = new(true, 128, 20, 96, 12, 8, 5) { PrintSize = 256 };

    /// <summary>Long side of the capstone's print-size run (lesson 07), in pixels: large enough to be tiled.</summary>
    public int PrintSize { get; init; } = 1280;

    /// <summary>From the environment (quick when <see cref="NotebookEnvironment.Quick"/> is set).</summary>
    public static LessonSettings FromEnvironment(IReadOnlyDictionary<string, string?>? environment = null) =>
        NotebookEnvironment.Flag(NotebookEnvironment.Quick, environment) ? QuickMode : Full;

    /// <summary>The settings of this session: the environment's, a remembered choice, or a switch made in a cell (<see cref="LessonMode"/>).</summary>
    public static LessonSettings Current => LessonMode.Default.Current;
}
