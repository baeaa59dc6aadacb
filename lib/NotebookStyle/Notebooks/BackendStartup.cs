namespace NotebookStyle.Notebooks;

/// <summary>What bringing up TorchSharp in a kernel touches, as steps a test can replace.</summary>
public interface IBackendSteps
{
    /// <summary>Sends <c>#r "nuget: …"</c> lines into the kernel; returns null on success, else the failure's message.</summary>
    Task<string?> SendAsync(string directives);

    /// <summary>Loads the natives of <paramref name="backend"/> from the NuGet cache where that is needed.</summary>
    NativePreload.Result Preload(NotebookBackend backend);

    /// <summary>Initialises TorchSharp's CUDA backend; null when CUDA is usable, else why not.</summary>
    string? InitializeCuda();
}

/// <summary>How the kernel's backend came up.</summary>
/// <param name="Natives">Whose natives were loaded (the CUDA build also runs on the CPU).</param>
/// <param name="UseCuda">Whether tensors go to the GPU.</param>
/// <param name="Directives">The package references that were sent, one per line.</param>
/// <param name="Preload">What was loaded from the NuGet cache by path.</param>
/// <param name="Notices">What went differently from the choice, in words (shown in the first cells).</param>
public sealed record BackendOutcome(NotebookBackend Natives, bool UseCuda, string Directives, NativePreload.Result Preload, IReadOnlyList<string> Notices);

/// <summary>
/// The order a notebook kernel brings TorchSharp up in. CUDA chosen: send the CUDA build's packages, then initialise
/// the CUDA device type before anything touches the CPU backend (a process that first loaded the CPU backend cannot
/// switch); if the packages do not load, fall back to the CPU build, and if CUDA does not initialise, run on the CPU
/// with the CUDA build — each with a notice the first cell shows. CPU: send the CPU build's packages and load its
/// natives by path. (The CLI does not fall back: an explicit <c>--device cuda</c> that cannot be had is an error.)
/// </summary>
public static class BackendStartup
{
    /// <summary>Brings the backend up for <paramref name="chosen"/>.</summary>
    /// <exception cref="NotebookSetupException">Even the CPU build's packages could not be loaded.</exception>
    public static async Task<BackendOutcome> RunAsync(NotebookBackend chosen, IBackendSteps steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var notices = new List<string>();
        if (chosen == NotebookBackend.Cuda)
        {
            string cuda = TorchPackages.Directives(NotebookBackend.Cuda);
            if (await steps.SendAsync(cuda).ConfigureAwait(false) is { } failed)
            {
                notices.Add($"The CUDA build of TorchSharp could not be loaded ({failed}); the lessons use the CPU build.");
            }
            else
            {
                var preload = steps.Preload(NotebookBackend.Cuda);
                if (steps.InitializeCuda() is not { } why) return new(NotebookBackend.Cuda, true, cuda, preload, notices);
                notices.Add($"CUDA was chosen but did not initialise ({why}); the lessons run on the CPU.");
                return new(NotebookBackend.Cuda, false, cuda, preload, notices);
            }
        }
        string cpu = TorchPackages.Directives(NotebookBackend.Cpu);
        if (await steps.SendAsync(cpu).ConfigureAwait(false) is { } failure)
            throw new NotebookSetupException($"The package references could not be loaded ({failure}). They were:\n{cpu}");
        return new(NotebookBackend.Cpu, false, cpu, steps.Preload(NotebookBackend.Cpu), notices);
    }
}
