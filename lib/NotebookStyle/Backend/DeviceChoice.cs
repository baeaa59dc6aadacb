namespace NotebookStyle.Backend;

/// <summary>Where tensors live: <c>auto</c> picks CUDA when a GPU and the CUDA natives are present, else the CPU.</summary>
public enum DeviceChoice
{
    /// <summary>CUDA when available, otherwise CPU.</summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>The first CUDA device; an error if there is none.</summary>
    Cuda,
}
