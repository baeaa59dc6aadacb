using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Optimization;

/// <summary>Adam on the image (TorchSharp's <c>optim.Adam</c>): one evaluation per iteration.</summary>
public sealed class AdamOptimizer : IIterativeOptimizer
{
    private readonly Evaluation _evaluate;
    private readonly optim.Optimizer _adam;

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

    /// <inheritdoc />
    public double Loss { get; private set; } = double.NaN;

    /// <inheritdoc />
    public bool Step()
    {
        _adam.zero_grad();
        Loss = _evaluate();
        Evaluations++;
        _adam.step();
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _adam.Dispose();
}
