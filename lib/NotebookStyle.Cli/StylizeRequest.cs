namespace NotebookStyle.Cli;

/// <summary>Everything the stylise command was asked, as parsed and range-checked (paths not yet checked).</summary>
internal sealed record StylizeRequest
{
    public required string Content { get; init; }
    public required string Style { get; init; }
    /// <summary>The control options, checked: more styles, blend weights, the style loss, a region map or scale control.</summary>
    public ControlRequest Control { get; init; } = new();
    /// <summary>Tiled evaluation (--tile, --memory-budget), or null for the whole image.</summary>
    public NotebookStyle.Optimization.TilingSettings? Tiling { get; init; }
    public required string Output { get; init; }
    public string? Metrics { get; init; }
    public required int Size { get; init; }
    public required string Preset { get; init; }
    public double? StyleScale { get; init; }
    public double? HistogramStrength { get; init; }
    public required int Iterations { get; init; }
    public int? MaxEvaluations { get; init; }
    public required string Optimizer { get; init; }
    public required string Init { get; init; }
    public double? ContentWeight { get; init; }
    public double? StyleWeight { get; init; }
    public double? TvWeight { get; init; }
    public required double TvPower { get; init; }
    public required double LearningRate { get; init; }
    public required string Network { get; init; }
    public string? Weights { get; init; }
    public string? WeightsPreprocessing { get; init; }
    public long? RandomWeights { get; init; }
    public required string Pooling { get; init; }
    public required long Seed { get; init; }
    public required string Device { get; init; }
    public required int Threads { get; init; }
    public string? Color { get; init; }
    public required int? Scales { get; init; }
    public int? CoarseIterations { get; init; }
    public required int JpegQuality { get; init; }

    /// <summary>Bits per channel of a PNG output: 8 or 16.</summary>
    public int BitDepth { get; init; } = 8;
    public required bool Quiet { get; init; }
}
