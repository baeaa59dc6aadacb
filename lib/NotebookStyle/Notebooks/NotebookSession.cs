using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace NotebookStyle.Notebooks;

/// <summary>What the session set up, shown as a table by the setup cell.</summary>
/// <param name="DotNet">The .NET runtime.</param>
/// <param name="OperatingSystem">The operating system.</param>
/// <param name="Backend">cpu or cuda, and why.</param>
/// <param name="Packages">The package references sent into the kernel.</param>
/// <param name="Natives">Which libtorch natives were loaded.</param>
/// <param name="Device">Where tensors live.</param>
/// <param name="Threads">CPU threads torch uses.</param>
/// <param name="QuickMode">Whether quick mode is on.</param>
/// <param name="Images">Where images are looked up, in order.</param>
/// <param name="Cache">The cache folder (downloaded images).</param>
/// <param name="Charts">How charts are drawn.</param>
public sealed record SessionInfo(string DotNet, string OperatingSystem, string Backend, string Packages, string Natives, string Device,
    int Threads, bool QuickMode, string Images, string Cache, string Charts);

/// <summary>
/// The first code cell of every lesson: <c>await NotebookSession.StartAsync()</c>. It fixes Plotly.NET's FSharp.Core
/// binding, sends the pinned TorchSharp package references (CUDA build where an NVIDIA GPU is present, CPU otherwise,
/// <see cref="NotebookEnvironment.Backend"/> overrides) and the charting packages into the running kernel, loads the
/// natives, registers the formatters and, for offline charts, puts plotly.js into the page once.
/// </summary>
public static class NotebookSession
{
    /// <summary>The device every lesson uses after <see cref="StartAsync"/> (as a <c>TorchSharp.torch.Device</c>).</summary>
    public static object? DeviceObject { get; private set; }

    /// <summary>Prepares the kernel; returns what was set up. Safe to run again.</summary>
    /// <exception cref="NotebookSetupException">A package reference failed or a setting is invalid.</exception>
    public static async Task<SessionInfo> StartAsync()
    {
        FSharpCoreRedirect.Install();
        var backend = TorchPackages.Choose();
        string why = NotebookEnvironment.Get(NotebookEnvironment.Backend) is { } v ? $"{NotebookEnvironment.Backend}={v}"
            : backend == NotebookBackend.Cuda ? "an NVIDIA GPU is present" : "no NVIDIA GPU found";
        var plotly = PlotlyHtml.ModeFromEnvironment();
        string directives = TorchPackages.Directives(backend);
        var root = Kernel.Root ?? throw new NotebookSetupException("No notebook kernel is running: NotebookSession is for notebooks.");
        var result = await root.SendAsync(new SubmitCode(directives, "csharp"), CancellationToken.None);
        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        if (failure is not null)
            throw new NotebookSetupException($"The package references could not be loaded ({failure.Message}). They were:\n{directives}");
        var natives = NativePreload.Preload(backend);
        return AfterPackages(backend, why, directives, natives, plotly);
    }

    // Everything that touches TorchSharp or ImageSharp lives here: this method is compiled only after the packages are in.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SessionInfo AfterPackages(NotebookBackend backend, string why, string directives, NativePreload.Result natives, PlotlyScriptMode plotly)
    {
        Backend.TorchBackend.EnsureLoaded();
        var device = Backend.TorchBackend.ResolveDevice(backend == NotebookBackend.Cuda ? Backend.DeviceChoice.Cuda : Backend.DeviceChoice.Cpu);
        DeviceObject = device;
        NotebookFormatters.Register(plotly);
        if (plotly == PlotlyScriptMode.Inline) Kernel.display(new HtmlOutput(PlotlyHtml.LoaderHtml(plotly)));
        var settings = LessonSettings.Current;
        string nativesText = natives.Loaded.Count > 0 ? string.Join(", ", natives.Loaded.Select(Path.GetFileName)) + " (from the NuGet cache)" : natives.Note ?? "";
        return new SessionInfo(RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, $"{backend.ToString().ToLowerInvariant()} ({why})",
            directives.Replace("\n", "; ", StringComparison.Ordinal), nativesText, device.ToString(), TorchSharp.torch.get_num_threads(),
            settings.Quick, string.Join(" → ", ImageCatalog.Default.SearchFolders()), NotebookEnvironment.CacheFolder(),
            plotly switch
            {
                PlotlyScriptMode.Inline => $"Plotly {PlotlyHtml.PlotlyJsVersion}, plotly.js embedded (works offline), static picture as fallback",
                PlotlyScriptMode.Cdn => $"Plotly {PlotlyHtml.PlotlyJsVersion} from the CDN, static picture as fallback",
                _ => "static pictures only",
            });
    }
}
