using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Lesson 02's exercise: the tapped forward pass. The learner's function runs an image through a chain of named layers
/// and keeps the outputs of the tapped ones. The check gives it six tiny seeded layers (conv1, relu1, conv2, relu2,
/// pool, conv3) that count their calls, asks for relu2 and relu1, and says what is wrong: missing or extra taps, a
/// layer's input kept instead of its output, layers run more than once or past the deepest tap, activations cut off
/// from the image's gradient.
/// </summary>
public static class TappedForwardCheck
{
    /// <summary>The learner's function: layers in order, the image, the names to tap → activations by name.</summary>
    public delegate Dictionary<string, Tensor> TappedForward(
        IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Layer)> layers, Tensor image, IReadOnlyCollection<string> taps);

    private static readonly string[] Taps = ["relu2", "relu1"];

    /// <summary>Runs the check.</summary>
    public static CheckOutcome Evaluate(TappedForward answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        using var scope = NewDisposeScope();
        var chain = Chain();
        var image = rand(new long[] { 1, 3, 8, 8 }, generator: new Generator(2)).requires_grad_(true);
        // What each layer returns, computed here without counting.
        var expected = new Dictionary<string, Tensor>();
        var inputs = new Dictionary<string, Tensor>();
        using (no_grad())
        {
            var x = image.detach();
            foreach (var layer in chain)
            {
                inputs[layer.Name] = x;
                x = layer.Inner.call(x);
                expected[layer.Name] = x;
            }
        }
        var layers = chain.Select(l => (l.Name, (nn.Module<Tensor, Tensor>)l)).ToList();
        var (result, failure) = LearnerCode.Call("your function", () => answer(layers, image, Taps));
        if (failure is not null) return failure;
        if (result is null) return CheckOutcome.Fail("your function returned null: return a dictionary from tap name to activation.");
        if (result.Count == 0)
            return CheckOutcome.Fail("no activations came back: expected the outputs of relu2 and relu1, keyed by their names.");
        var missing = Taps.Where(t => !result.ContainsKey(t)).ToList();
        if (missing.Count > 0)
            return CheckOutcome.Fail($"{LearnerCode.Words(missing)} missing: keep the output of every tapped layer, under its name " +
                                     $"(asked: relu2, relu1; got: {string.Join(", ", result.Keys)}).");
        var extra = result.Keys.Where(k => !Taps.Contains(k)).ToList();
        if (extra.Count > 0)
            return CheckOutcome.Fail($"{LearnerCode.Words(extra)} {(extra.Count == 1 ? "was" : "were")} not asked for: keep only the tapped " +
                                     "layers' outputs (the others can be freed as soon as the next layer has used them).");
        foreach (var tap in Taps.Reverse())
        {
            var got = result[tap];
            if (got is null) return CheckOutcome.Fail($"{tap} is null: keep the tensor the layer returned.");
            var want = expected[tap];
            if (!got.shape.SequenceEqual(want.shape))
                return CheckOutcome.Fail($"{tap} has shape {LearnerCode.Shape(got)}, expected {LearnerCode.Shape(want)}: keep what the layer " +
                                         $"{tap} itself returns.");
            using var g = got.detach().to(want.dtype, want.device);
            if (g.allclose(want, 1e-5, 1e-6)) continue;
            var before = inputs[tap];
            if (before.shape.SequenceEqual(g.shape) && g.allclose(before, 1e-5, 1e-6))
                return CheckOutcome.Fail($"{tap} holds the layer's input (the previous layer's output), not its output: store y = layer.call(x) " +
                                         "under the layer's name.");
            double off = g.sub(want).abs().max().ToDouble();
            return CheckOutcome.Fail($"{tap} differs from the layer's output by up to {off:G3}: feed each layer the previous layer's output, " +
                                     "starting from the image.");
        }
        var past = chain.SkipWhile(l => l.Name != "relu2").Skip(1).Where(l => l.Calls > 0).Select(l => l.Name).ToList();
        if (past.Count > 0)
            return CheckOutcome.Fail($"{LearnerCode.Words(past)} ran after relu2, the deepest tap: stop after the deepest tapped layer " +
                                     "(the layers below it are wasted work, in VGG19 the most expensive).");
        var repeated = chain.Where(l => l.Calls > 1).Select(l => $"{l.Name} ({l.Calls} times)").ToList();
        if (repeated.Count > 0)
            return CheckOutcome.Fail($"{LearnerCode.Words(repeated)} ran more than once: run the chain once and keep the taps on the way.");
        var cut = Taps.Where(t => !result[t].requires_grad).ToList();
        if (cut.Count > 0)
            return CheckOutcome.Fail($"{LearnerCode.Words(cut)} cannot carry a gradient back to the image (detached, or computed under " +
                                     "no_grad): style transfer back-propagates through these activations to the pixels.");
        var sum = result["relu1"].sum().add(result["relu2"].sum());
        sum.backward();
        if (image.grad is null || image.grad.abs().sum().ToDouble() == 0)
            return CheckOutcome.Fail("no gradient reached the image: the activations must be computed from the image itself, not a copy.");
        return CheckOutcome.Pass($"relu1 {LearnerCode.Shape(result["relu1"])} and relu2 {LearnerCode.Shape(result["relu2"])}, each its layer's " +
                                 "output; the chain stopped after relu2 (pool and conv3 never ran); gradients reach the image.");
    }

    /// <summary>The six seeded layers, each counting its calls.</summary>
    private static List<CountingLayer> Chain()
    {
        var g = new Generator(1);
        nn.Module<Tensor, Tensor> Conv(long i, long o)
        {
            var conv = nn.Conv2d(i, o, 3, padding: 1);
            using (no_grad())
            {
                conv.weight!.copy_(randn(conv.weight.shape, generator: g).mul(0.3));
                conv.bias!.copy_(randn(conv.bias.shape, generator: g).mul(0.1));
            }
            foreach (var p in conv.parameters()) p.requires_grad = false;
            return conv;
        }
        return
        [
            new("conv1", Conv(3, 4)), new("relu1", nn.ReLU()), new("conv2", Conv(4, 6)), new("relu2", nn.ReLU()),
            new("pool", nn.MaxPool2d(2)), new("conv3", Conv(6, 6)),
        ];
    }

    /// <summary>A layer that counts how often it runs.</summary>
    private sealed class CountingLayer : nn.Module<Tensor, Tensor>
    {
        public CountingLayer(string name, nn.Module<Tensor, Tensor> inner) : base(name)
        {
            Name = name;
            Inner = inner;
            RegisterComponents();
        }

        public string Name { get; }

        public nn.Module<Tensor, Tensor> Inner { get; }

        public int Calls { get; private set; }

        public override Tensor forward(Tensor input)
        {
            Calls++;
            return Inner.call(input);
        }
    }
}
