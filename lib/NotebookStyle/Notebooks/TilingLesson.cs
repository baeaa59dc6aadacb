using System.Diagnostics;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Visualization;
using NotebookStyle.Weights;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>One image evaluated whole and in tiles: the grid, the deepest tap's receptive field, and how far apart the two are.</summary>
/// <param name="Grid">The tiles (cores, halos).</param>
/// <param name="DeepestTap">The tapped layer whose receptive field sets the halo.</param>
/// <param name="Field">That layer's receptive field.</param>
/// <param name="WholeLoss">The loss evaluated on the whole image.</param>
/// <param name="TiledLoss">The same loss evaluated in tiles.</param>
/// <param name="GradientError">‖∇tiled − ∇whole‖ / ‖∇whole‖.</param>
/// <param name="Whole">Time of the whole-image evaluation.</param>
/// <param name="Tiled">Time of the tiled evaluation.</param>
/// <param name="Picture">The image with the tiles drawn (<see cref="TilePicture"/>).</param>
public sealed record TilingComparison(TileGrid Grid, string DeepestTap, ReceptiveField Field, double WholeLoss, double TiledLoss,
    double GradientError, TimeSpan Whole, TimeSpan Tiled, Image<Rgb24> Picture)
{
    /// <summary>One line with the figures.</summary>
    public override string ToString() =>
        $"{Grid.Tiles.Count} tiles of {Grid.TileSize} px (halo {Grid.Halo} px, crops {Grid.Overhead:F2}× the image's pixels); " +
        $"deepest tap {DeepestTap}: receptive field {Field.Size} px, stride {Field.Stride}; loss whole {WholeLoss:G9}, tiled {TiledLoss:G9} " +
        $"(relative difference {Math.Abs(TiledLoss - WholeLoss) / Math.Abs(WholeLoss):G2}); gradient relative difference {GradientError:G2}; " +
        $"time whole {Whole.TotalSeconds:F2} s, tiled {Tiled.TotalSeconds:F2} s.";
}

/// <summary>The poster-size section of lesson 05: the same objective evaluated whole and in tiles, side by side.</summary>
public static class TilingLesson
{
    /// <summary>
    /// Builds the objective of <paramref name="settings"/> for <paramref name="content"/> and <paramref name="style"/>,
    /// evaluates loss and gradient at the content image on the whole image and in tiles of about
    /// <paramref name="tileSize"/> px, and draws the tiles (the middle tile's crop highlighted).
    /// </summary>
    public static TilingComparison Compare(FeatureExtractor network, Tensor content, Tensor style, int tileSize, StyleTransferSettings? settings = null)
    {
        using var scope = NewDisposeScope();
        var resolved = ResolvedSettings.Resolve(settings ?? new StyleTransferSettings(), network);
        using var objective = resolved.CreateObjective(network, content, style);
        var tiles = new TiledObjective(objective, tileSize);
        var grid = tiles.GridFor(content.shape[2], content.shape[3]);
        var deepest = resolved.Taps.MaxBy(t => network.ReceptiveFieldOf(t).Size)!;

        using var whole = new Parameter(content.clone(), requires_grad: true);
        var clock = Stopwatch.StartNew();
        var (total, terms) = objective.Evaluate(whole);
        total.backward();
        var wholeTime = clock.Elapsed;
        using var tiled = new Parameter(content.clone(), requires_grad: true);
        clock.Restart();
        var (loss, _) = tiles.Evaluate(tiled);
        var tiledTime = clock.Elapsed;
        double error = tiled.grad!.sub(whole.grad!).norm().ToDouble() / Math.Max(whole.grad!.norm().ToDouble(), 1e-30);
        // Highlight the tile nearest the middle: an interior tile shows the halo on every side.
        int middle = grid.Tiles.Select((t, i) => (Distance: Math.Abs(t.Top + t.Bottom - grid.Height) + Math.Abs(t.Left + t.Right - grid.Width), Index: i))
            .MinBy(t => t.Distance).Index;
        var picture = TilePicture.Draw(content, grid, middle);
        return new TilingComparison(grid, deepest, network.ReceptiveFieldOf(deepest), terms.Total, loss, error, wholeTime, tiledTime, picture);
    }
}
