using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Notebooks;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks;

public class OptimizerComparisonTests
{
    private static StyleTransferResult Run(double start, double end) =>
        new(zeros(1, 3, 2, 2), new LossTerms(new Dictionary<string, double>(), start), new LossTerms(new Dictionary<string, double>(), end),
            10, 10, TimeSpan.Zero, StopReason.Evaluations, []);

    private static LoadedNetwork Network(Vgg19 net, bool trained) => new(net, "test", []) { Trained = trained };

    [Fact]
    public void WithTrainedWeightsLbfgsMustEndLower()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var lbfgs = Run(100, 2);
        using var adam = Run(100, 3);
        var lines = OptimizerComparison.Expect(Network(net, trained: true), lbfgs, adam, _ => { });
        Assert.Equal("✔ L-BFGS gets lower than Adam on the same budget (vgg19): log10 of the final total loss, Adam → L-BFGS: 0.48 → 0.30 (fall 0.18, at least 0.10 expected)", Assert.Single(lines));
        // Adam ahead, or L-BFGS ahead by too little: the lesson fails.
        Assert.Throws<DemonstrationFailedException>(() => OptimizerComparison.Expect(Network(net, trained: true), adam, lbfgs, _ => { }));
        using var close = Run(100, 2.8);
        Assert.Throws<DemonstrationFailedException>(() => OptimizerComparison.Expect(Network(net, trained: true), close, adam, _ => { }));
    }

    [Fact]
    public void WithUntrainedWeightsEachOptimiserMustLowerItsLossWhicheverWins()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var lbfgs = Run(2e7, 8.3e6);   // the full-mode run on random VGG19: Adam ended lower
        using var adam = Run(2e7, 6.8e6);
        var lines = OptimizerComparison.Expect(Network(net, trained: false), lbfgs, adam, _ => { });
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("✔ untrained weights (vgg19)", lines[0]);
        Assert.Contains("L-BFGS lowers the total loss", lines[0]);
        Assert.Contains("Adam lowers the total loss", lines[1]);
        using var stuck = Run(2e7, 1.9e7);
        var ex = Assert.Throws<DemonstrationFailedException>(() => OptimizerComparison.Expect(Network(net, trained: false), lbfgs, stuck, _ => { }));
        Assert.Contains("Adam lowers", ex.Message);
    }

    [Fact]
    public void ALossThatIsNotPositiveIsAClearError()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 1);
        using var lbfgs = Run(100, 0);
        using var adam = Run(100, 3);
        var ex = Assert.Throws<ArgumentException>(() => OptimizerComparison.Expect(Network(net, trained: true), lbfgs, adam, _ => { }));
        Assert.Contains("L-BFGS's final loss is 0", ex.Message);
    }
}
