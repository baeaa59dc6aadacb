using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using NotebookStyle.Weights;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// The notebook session. Every lesson's second cell is <c>await Session.StartAsync()</c>: it fixes Plotly.NET's
/// FSharp.Core binding, brings up TorchSharp (<see cref="BackendStartup"/>: the CUDA build where an NVIDIA GPU is
/// present, the CPU build otherwise, <see cref="NotebookEnvironment.Backend"/> overrides), sends the charting packages,
/// registers the formatters and, for offline charts, puts plotly.js into the page once. Then <see cref="Device"/>,
/// <see cref="Lesson"/> and <see cref="LoadNetwork"/> serve the lesson.
/// </summary>
public static class Session
{
    private static Device? _device;

    /// <summary>The session's device (CPU until <see cref="StartAsync"/> chose CUDA).</summary>
    public static Device Device => _device ?? CPU;

    /// <summary>The lesson sizes and budgets (quick mode or full).</summary>
    public static LessonSettings Lesson => LessonSettings.Current;

    /// <summary>
    /// Switches quick mode on or off from a cell: the cells run after this one get the new <see cref="Lesson"/> (a kernel
    /// reads <see cref="NotebookEnvironment.Quick"/> only when it starts, and VS Code has no obvious place to set it).
    /// With <paramref name="forLaterLessons"/> the choice is also remembered in the cache folder for the lessons opened
    /// later, unless <see cref="NotebookEnvironment.Quick"/> is set for them. Shows one line saying what now applies.
    /// </summary>
    /// <returns>The settings now in force.</returns>
    public static LessonSettings UseQuickMode(bool quick, bool forLaterLessons = false)
    {
        var mode = LessonMode.Default;
        var settings = mode.Use(quick, forLaterLessons);
        string later = !forLaterLessons ? "this lesson only (forLaterLessons: true remembers it)"
            : mode.EnvironmentDecides ? $"this lesson; remembered in {mode.RememberedFile}, but {NotebookEnvironment.Quick} is set and decides in lessons whose kernel has it"
            : $"this lesson and the lessons opened later (remembered in {mode.RememberedFile})";
        if (Microsoft.DotNet.Interactive.KernelInvocationContext.Current is not null) Kernel.display($"{(quick ? "Quick" : "Full")} mode ({settings.ImageSize} px, {settings.Iterations} iterations) for the cells that follow: {later}.");
        return settings;
    }

    /// <summary>What <see cref="StartAsync"/> set up, or null before it ran.</summary>
    public static SessionInfo? Info { get; private set; }

    /// <summary>Prepares the kernel; returns what was set up (and shows any fallback notice). Safe to run again.</summary>
    /// <exception cref="NotebookSetupException">A package reference failed or a setting is invalid.</exception>
    public static async Task<SessionInfo> StartAsync()
    {
        FSharpCoreRedirect.Install();
        var chosen = TorchPackages.Choose();
        string why = NotebookEnvironment.Get(NotebookEnvironment.Backend) is { } v ? $"{NotebookEnvironment.Backend}={v}"
            : chosen == NotebookBackend.Cuda ? "an NVIDIA GPU is present" : "no NVIDIA GPU found";
        var network = LessonNetwork.FromEnvironment();
        var plotly = PlotlyHtml.ModeFromEnvironment();
        var root = Kernel.Root ?? throw new NotebookSetupException("No notebook kernel is running: Session is for notebooks.");
        var steps = new KernelSteps(root);
        var backend = await BackendStartup.RunAsync(chosen, steps).ConfigureAwait(false);
        string charts = TorchPackages.Directives(TorchPackages.Common);
        if (await steps.SendAsync(charts).ConfigureAwait(false) is { } failed)
            throw new NotebookSetupException($"The charting packages could not be loaded ({failed}). They were:\n{charts}");
        Info = AfterPackages(backend, why, charts, network, plotly);
        foreach (var notice in backend.Notices) Kernel.display(notice);
        return Info;
    }

    /// <summary>
    /// The network of the lessons, as <see cref="LessonNetwork.FromEnvironment"/> says (VGG19 from a file, the cache or
    /// a download with a progress line; else the offline ResNet18 default), on <see cref="Device"/>. Shows its notices.
    /// </summary>
    /// <remarks>
    /// Where <c>auto</c> fell back to the offline ResNet18 default, the lessons show one line that says so and link to
    /// the README's section on getting the weights; <paramref name="explain"/> (lessons 00 and 01, where the network is
    /// the subject) shows the whole reason as well.
    /// </remarks>
    /// <param name="choice">Overrides the environment's network choice.</param>
    /// <param name="explain">Show the whole reason for a fallback, not only the line.</param>
    public static LoadedNetwork LoadNetwork(NetworkChoice? choice = null, bool explain = false)
    {
        var settings = LessonNetwork.FromEnvironment();
        var loaded = Networks.Load(choice ?? settings.Choice, Device, settings.Options(new DownloadDisplay()));
        if (NotebookEnvironment.Flag(NotebookEnvironment.WeightsUntrained))
            loaded = loaded with { Trained = false, Notices = [.. loaded.Notices, UntrainedNotice] };
        foreach (var notice in loaded.Notices)
            Kernel.display(!explain && loaded.IsFallbackNotice(notice) ? new HtmlOutput(FallbackLine) : notice);
        return loaded;
    }

    /// <summary>The one line a lesson shows when <c>auto</c> fell back to the offline default (the reason is in lessons 00 and 01).</summary>
    internal const string FallbackLine =
        "Using the offline ResNet18 default: VGG19's weights could not be had here (lesson 01 shows why; " +
        "<a href=\"../README.md#networks-and-weights\">how to get them</a>). The lessons work the same with it.";

    /// <summary>What a lesson shows when its weights were declared untrained.</summary>
    internal const string UntrainedNotice =
        "NOTEBOOKSTYLE_WEIGHTS_UNTRAINED=1: these weights are declared random (a test file). The pictures mean nothing; " +
        "demonstrations that need trained weights check what untrained ones show instead.";

    // Everything that touches TorchSharp's natives lives here, after the backend's packages are in.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SessionInfo AfterPackages(BackendOutcome backend, string why, string charts, LessonNetwork network, PlotlyScriptMode plotly)
    {
        Backend.ProcessMemory.OptIn(); // the notebook session is a host: it tunes the kernel's allocator for the lessons' runs
        Backend.TorchBackend.EnsureLoaded();
        _device = backend.UseCuda ? CUDA : CPU;
        NotebookFormatters.Register(plotly);
        if (plotly == PlotlyScriptMode.Inline) Kernel.display(new HtmlOutput(PlotlyHtml.LoaderHtml(plotly)));
        var settings = LessonSettings.Current;
        var natives = backend.Preload;
        string nativesText = natives.Loaded.Count > 0 ? string.Join(", ", natives.Loaded.Select(Path.GetFileName)) + " (from the NuGet cache)" : natives.Note ?? "";
        var library = typeof(Session).Assembly;
        string version = library.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
        return new SessionInfo($"NotebookStyle {version} ({library.Location})", RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription, $"{backend.Natives.ToString().ToLowerInvariant()} ({why})" + (backend.UseCuda || backend.Natives == NotebookBackend.Cpu ? "" : ", running on the CPU"),
            (backend.Directives + "\n" + charts).Replace("\n", "; ", StringComparison.Ordinal), nativesText, Device.ToString(),
            TorchSharp.torch.get_num_threads(), network.ToString(), settings.Quick, string.Join(" → ", ImageCatalog.Default.SearchFolders()),
            NotebookEnvironment.CacheFolder(),
            plotly switch
            {
                PlotlyScriptMode.Inline => $"Plotly {PlotlyHtml.PlotlyJsVersion}, plotly.js embedded (works offline), static picture as fallback",
                PlotlyScriptMode.Cdn => $"Plotly {PlotlyHtml.PlotlyJsVersion} from the CDN, static picture as fallback",
                _ => "static pictures only",
            }, backend.Notices);
    }

    private sealed class KernelSteps(Kernel root) : IBackendSteps
    {
        public async Task<string?> SendAsync(string directives)
        {
            var result = await root.SendAsync(new SubmitCode(directives, "csharp"), CancellationToken.None).ConfigureAwait(false);
            return result.Events.OfType<CommandFailed>().FirstOrDefault()?.Message;
        }

        public NativePreload.Result Preload(NotebookBackend backend) => NativePreload.Preload(backend);

        public string? InitializeCuda() => InitializeCudaNow();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string? InitializeCudaNow() => Backend.TorchBackend.InitializeCuda();
    }
}
