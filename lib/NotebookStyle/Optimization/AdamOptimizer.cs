using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>Adam on the image (TorchSharp's <c>optim.Adam</c>): one evaluation per iteration.</summary>
public sealed class AdamOptimizer : IIterativeOptimizer
{
    private readonly Evaluation _evaluate;
    private readonly optim.Optimizer _adam;
    private bool _stopped;

    /// <summary>Optimises <paramref name="parameter"/> with learning rate <paramref name="learningRate"/> (in the image's units).</summary>
    public AdamOptimizer(Parameter parameter, Evaluation evaluate, double learningRate, double beta1 = 0.9, double beta2 = 0.999)
    {
        Parameter = parameter;
        _evaluate = evaluate;
        _adam = optim.Adam([parameter], learningRate, beta1, beta2);
    }

    /// <inheritdoc />
    public Tensor Parameter { get; }

    /// <inheritdoc />
    public int Evaluations { get; private set; }

    /// <summary>f at the point the last step started from (Adam evaluates, then moves).</summary>
    public double Loss { get; private set; } = double.NaN;

    /// <inheritdoc />
    public int AcceptedEvaluation => Evaluations;

    /// <inheritdoc />
    public StepOutcome Step()
    {
        if (_stopped) return StepOutcome.Stopped;
        _adam.zero_grad();
        if (_evaluate() is not double loss)
        {
            _stopped = true;
            return StepOutcome.Stopped;
        }
        Loss = loss;
        Evaluations++;
        _adam.step();
        return StepOutcome.Stepped;
    }

    /// <inheritdoc />
    public void Dispose() => _adam.Dispose();
}
