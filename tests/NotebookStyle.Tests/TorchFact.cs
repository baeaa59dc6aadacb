using NotebookStyle.Backend;

namespace NotebookStyle.Tests;

/// <summary>Loads TorchSharp once for every test that needs it, with the library's explanatory error.</summary>
public static class Torch
{
    static Torch()
    {
        TorchBackend.EnsureLoaded();
        TorchSharp.torch.set_num_threads(Math.Min(2, Environment.ProcessorCount));
    }

    /// <summary>Touch to make sure the natives are loaded.</summary>
    public static void Ready() { }
}
