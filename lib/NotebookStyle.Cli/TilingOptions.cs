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
        Tile.Validators.Add(r =>
        {
            if (r.Errors.Any()) return;
            try { if (r.GetValueOrDefault<int?>() is int tile && tile < 16) r.AddError("--tile must be at least 16."); }
            catch (InvalidOperationException) { } // did not parse: that error is reported already
        });
        MemoryBudget.Validators.Add(r =>
        {
            if (r.Errors.Any()) return;
            try { if (r.GetValueOrDefault<double?>() is double gb && !(gb >= 0.25)) r.AddError("--memory-budget must be at least 0.25 (GB)."); }
            catch (InvalidOperationException) { }
        });
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
