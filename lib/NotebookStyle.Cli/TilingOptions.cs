using System.CommandLine;
using NotebookStyle.Optimization;

namespace NotebookStyle.Cli;

/// <summary>The poster-size options: tiled evaluation with a given tile size or within a memory budget.</summary>
internal sealed class TilingOptions
{
    public Option<int?> Tile { get; } = new("--tile") { Description = "Evaluate in tiles with this core side in pixels (exact: the same loss and gradient; memory follows the tile)." };
    public Option<double?> MemoryBudget { get; } = new("--memory-budget") { Description = "Memory one evaluation may use, in GB: tiles and a shorter L-BFGS history at the sizes that need them (default: 60% of the available memory, 80% of a GPU's free memory)." };

    /// <summary>Adds the options to <paramref name="command"/> with their range checks.</summary>
    public void AddTo(Command command)
    {
        OptionParsers.Integer(Tile, v => v is >= 16 and <= 65536, "an integer from 16 to 65536 (pixels)");
        OptionParsers.Number(MemoryBudget, v => v is >= 0.25 and <= 1e6, "a finite number of GB from 0.25 to 1000000");
        command.Options.Add(Tile);
        command.Options.Add(MemoryBudget);
    }

    /// <summary>The settings the options ask for (null: the driver's default, a budget from the device's free memory).</summary>
    public TilingSettings? Read(ParseResult parse)
    {
        int? tile = parse.GetValue(Tile);
        double? budget = parse.GetValue(MemoryBudget);
        if (tile is null && budget is null) return null;
        return new TilingSettings(tile, budget is double gb ? (long)(gb * 1e9) : null);
    }
}
