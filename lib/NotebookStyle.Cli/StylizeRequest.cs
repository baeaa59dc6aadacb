using NotebookStyle.Backend;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;

namespace NotebookStyle.Cli;

/// <summary>
/// Everything the stylise command was asked, parsed and range-checked into the library's own types (paths not yet
/// checked): the driver's <see cref="StyleTransferSettings"/>, the network's <see cref="Weights.NetworkOptions"/> and
/// the device, beside what only the CLI handles (the files, the output's format, the control options' regions).
/// </summary>
internal sealed record StylizeRequest
{
    public required string Content { get; init; }
    public required string Style { get; init; }
    /// <summary>The control options, checked: more styles, blend weights, a region map or scale control.</summary>
    public ControlRequest Control { get; init; } = new();
    public required string Output { get; init; }
    public string? Metrics { get; init; }
    /// <summary>The result's long side in pixels.</summary>
    public required int Size { get; init; }
    public required int JpegQuality { get; init; }

    /// <summary>Bits per channel of a PNG output: 8 or 16.</summary>
    public int BitDepth { get; init; } = 8;
    public required bool Quiet { get; init; }

    /// <summary>Where tensors live.</summary>
    public required DeviceChoice Device { get; init; }

    /// <summary>CPU threads for torch (0: torch's default), before the bound to the processors there are.</summary>
    public required int Threads { get; init; }

    /// <summary>Which network extracts the features.</summary>
    public required NetworkChoice Network { get; init; }

    /// <summary>How the network is built (pooling, a weights file and its preprocessing, random weights); the store and progress are the command's.</summary>
    public required NetworkOptions NetworkOptions { get; init; }

    /// <summary>The driver's settings as given; a null <see cref="StyleTransferSettings.StyleScale"/> is the preset's, known once the network is.</summary>
    public required StyleTransferSettings Settings { get; init; }
}
