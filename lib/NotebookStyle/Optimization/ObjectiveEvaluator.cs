using NotebookStyle.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>
/// The <see cref="Evaluation"/> an optimiser calls, for one image being optimised against one objective — the driver's
/// and the benchmarks': f and its gradient at the image (one forward to the deepest tap, one backward to the pixels),
/// the loss terms of each evaluation (so that a progress report names the accepted one's), and the best point seen.
/// It stops instead of evaluating when the token is cancelled or the budget is spent, and after a loss that is not
/// finite: <see cref="Evaluate"/> then returns null and <see cref="Stop"/> says why — a result, not an exception.
/// </summary>
public sealed class ObjectiveEvaluator : IDisposable
{
    private readonly StyleTransferObjective _objective;
    private readonly Tensor _image;
    private readonly int? _budget;
    private readonly CancellationToken _cancellation;
    private readonly List<LossTerms> _terms = [];

    /// <summary>Evaluates <paramref name="objective"/> at <paramref name="image"/> (the leaf being optimised).</summary>
    /// <param name="objective">The loss; its targets are computed already.</param>
    /// <param name="image">The image being optimised (gradients on); the start point is the first best point.</param>
    /// <param name="maxEvaluations">Stop before evaluating once this many evaluations are done (null: no limit).</param>
    /// <param name="cancellationToken">Stop before evaluating once this fires.</param>
    public ObjectiveEvaluator(StyleTransferObjective objective, Tensor image, int? maxEvaluations = null, CancellationToken cancellationToken = default)
    {
        _objective = objective;
        _image = image;
        _budget = maxEvaluations;
        _cancellation = cancellationToken;
        Best = image.detach().clone();
    }

    /// <summary>
    /// Evaluate in tiles with this (built on the same objective) instead of in one piece: the same f and ∇f up to
    /// summation order, with memory that follows the tile (null: whole image).
    /// </summary>
    public TiledObjective? Tiled { get; init; }

    /// <summary>
    /// Pixels held at the photo where no style region covers the image (null: none): the objective is evaluated at
    /// <see cref="KeptPixels.Apply"/> of the image, and the image's gradient is that of the change of variables.
    /// </summary>
    public KeptPixels? Keep { get; init; }

    /// <summary>Evaluations between two hand-backs of the C library's free heap pages to the system (CPU only, when the host opted in: <see cref="Backend.ProcessMemory.OptIn"/>).</summary>
    public const int TrimEvery = 16;

    /// <summary>The loss terms of each evaluation that returned a value, in order: the n-th is the optimiser's evaluation n.</summary>
    public IReadOnlyList<LossTerms> Terms => _terms;

    /// <summary>Why evaluations stopped (<see cref="EvaluationStop.None"/> while they go on).</summary>
    public EvaluationStop Stop { get; private set; }

    /// <summary>The loss that stopped the run, when <see cref="Stop"/> is <see cref="EvaluationStop.NonFiniteLoss"/>.</summary>
    public double NonFiniteLoss { get; private set; } = double.NaN;

    /// <summary>A copy of the point with the lowest loss seen (the start point until an evaluation is done); owned here.</summary>
    public Tensor Best { get; }

    /// <summary>The lowest loss seen (+∞ before the first evaluation).</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>The loss terms of the optimiser's evaluation number <paramref name="evaluation"/> (1-based).</summary>
    public LossTerms TermsOf(int evaluation) => _terms[evaluation - 1];

    /// <summary>One evaluation: f, with ∇f left in the image's <c>grad</c>; null when stopped (see <see cref="Stop"/>).</summary>
    public double? Evaluate()
    {
        if (Stop != EvaluationStop.None) return null;
        if (_cancellation.IsCancellationRequested) return Halt(EvaluationStop.Cancelled);
        // A line search may ask for more evaluations than the budget has left: stop before spending them.
        if (_budget is int budget && _terms.Count >= budget) return Halt(EvaluationStop.BudgetSpent);
        using var scope = NewDisposeScope();
        var (loss, terms) = Keep is not null ? Kept(Keep) : Tiled is null ? Whole() : Tiled.Evaluate(_image);
        if (!double.IsFinite(loss))
        {
            NonFiniteLoss = loss;
            return Halt(EvaluationStop.NonFiniteLoss);
        }
        _terms.Add(terms);
        // glibc keeps the freed pages of each evaluation's temporaries in its heap, and the optimiser's long-lived
        // history vectors, allocated between them, pin that heap: over 200 L-BFGS evaluations at 512 px (ResNet18) the
        // process peaked at 1,835 MB against PyTorch's 1,328 with no tensor alive to show for it. Handing free pages back
        // every 16 evaluations: 1,220 MB at +2% time per evaluation (every 8: 1,127 MB but +10%; every 32: 1,399 MB).
        // Process-wide, so only when the host opted in (ProcessMemory.OptIn).
        if (_terms.Count % TrimEvery == 0 && _image.device.type == DeviceType.CPU) Backend.ProcessMemory.TrimIfOptedIn();
        if (loss < BestLoss)
        {
            BestLoss = loss;
            using (no_grad()) Best.copy_(_image);
        }
        return loss;
    }

    /// <summary>f in one piece; ∇f into the image's grad when f is finite.</summary>
    private (double Loss, LossTerms Terms) Whole()
    {
        var (total, terms) = _objective.Evaluate(_image);
        double loss = total.ToDouble();
        if (double.IsFinite(loss)) total.backward();
        return (loss, terms);
    }

    /// <summary>f at the image with its kept pixels (<see cref="Keep"/>); ∇f through the change of variables into the image's grad when f is finite.</summary>
    private (double Loss, LossTerms Terms) Kept(KeptPixels keep)
    {
        if (Tiled is null)
        {
            var (total, terms) = _objective.Evaluate(keep.Apply(_image));
            double loss = total.ToDouble();
            if (double.IsFinite(loss)) total.backward();
            return (loss, terms);
        }
        // Tiled evaluation wants a leaf: evaluate at the composite as one, then carry its gradient back to the image.
        Tensor composite;
        using (no_grad()) composite = keep.Apply(_image).detach();
        using var leaf = composite.requires_grad_(true);
        var (tiledLoss, tiledTerms) = Tiled.Evaluate(leaf);
        if (double.IsFinite(tiledLoss) && leaf.grad is { } g)
            keep.Apply(_image).mul(g).sum().backward(); // ∂/∂image Σ Apply(image)·g = c·g
        return (tiledLoss, tiledTerms);
    }

    private double? Halt(EvaluationStop why)
    {
        Stop = why;
        return null;
    }

    /// <summary>Frees the best point; on the CPU hands the heap's free pages back when the host opted in (the run's temporaries are gone by now).</summary>
    public void Dispose()
    {
        bool cpu = _image.device.type == DeviceType.CPU;
        Best.Dispose();
        if (cpu) Backend.ProcessMemory.TrimIfOptedIn();
    }
}
