using NotebookStyle.Notebooks;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Notebooks.Exercises;

/// <summary>Lesson 02's check: passes the right tapped forward pass, names each usual mistake, fails the stub.</summary>
public class TappedForwardCheckTests
{
    public TappedForwardCheckTests() => Torch.Ready();

    private static int Deepest(IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Layer)> layers, IReadOnlyCollection<string> taps) =>
        taps.Max(t => layers.Select(l => l.Name).ToList().IndexOf(t));

    /// <summary>The lesson's solution.</summary>
    public static Dictionary<string, Tensor> Right(IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Layer)> layers, Tensor image, IReadOnlyCollection<string> taps)
    {
        var kept = new Dictionary<string, Tensor>();
        var x = image;
        for (int i = 0; i <= Deepest(layers, taps); i++)
        {
            x = layers[i].Layer.call(x);
            if (taps.Contains(layers[i].Name)) kept[layers[i].Name] = x;
        }
        return kept;
    }

    private static string Fails(TappedForwardCheck.TappedForward answer)
    {
        var outcome = TappedForwardCheck.Evaluate(answer);
        Assert.False(outcome.Passed, outcome.Message);
        Assert.StartsWith("✘ ", outcome.Message);
        return outcome.Message;
    }

    [Fact]
    public void TheRightAnswerPasses()
    {
        var outcome = TappedForwardCheck.Evaluate(Right);
        Assert.True(outcome.Passed, outcome.Message);
        Assert.StartsWith("✔ relu1 [1, 4, 8, 8] and relu2 [1, 6, 8, 8]", outcome.Message);
        Assert.Equal(outcome.Message, Check.TappedForward(Right));
    }

    [Fact]
    public void TheStubFailsAndTheCheckCellThrows()
    {
        Assert.Contains("no activations came back", Fails((_, _, _) => new Dictionary<string, Tensor>()));
        var ex = Assert.Throws<ExerciseCheckException>(() => Check.TappedForward((_, _, _) => new Dictionary<string, Tensor>()));
        Assert.StartsWith("✘ no activations", ex.Message);
        Assert.Contains("is not written yet", Fails((_, _, _) => throw new NotImplementedException()));
        Assert.Contains("returned null", Fails((_, _, _) => null!));
    }

    [Fact]
    public void EachUsualMistakeIsNamed()
    {
        // Every layer kept.
        Assert.Contains("conv1, conv2 and pool were not asked for", Fails((layers, image, taps) =>
        {
            var all = new Dictionary<string, Tensor>();
            var x = image;
            foreach (var (name, layer) in layers.Take(5)) all[name] = x = layer.call(x);
            return all;
        }));
        // Only the deepest tap.
        Assert.Contains("relu1 missing", Fails((layers, image, taps) => Right(layers, image, taps).Where(kv => kv.Key == "relu2").ToDictionary()));
        // The layer's input kept instead of its output.
        Assert.Contains("relu1 holds the layer's input", Fails((layers, image, taps) =>
        {
            var kept = new Dictionary<string, Tensor>();
            var x = image;
            for (int i = 0; i <= Deepest(layers, taps); i++)
            {
                if (taps.Contains(layers[i].Name)) kept[layers[i].Name] = x;
                x = layers[i].Layer.call(x);
            }
            return kept;
        }));
        // The whole chain run.
        Assert.Contains("pool and conv3 ran after relu2, the deepest tap", Fails((layers, image, taps) =>
        {
            var kept = new Dictionary<string, Tensor>();
            var x = image;
            foreach (var (name, layer) in layers)
            {
                x = layer.call(x);
                if (taps.Contains(name)) kept[name] = x;
            }
            return kept;
        }));
        // The chain run again from the image for every tap.
        Assert.Contains("conv1 (2 times)", Fails((layers, image, taps) =>
        {
            var kept = new Dictionary<string, Tensor>();
            foreach (var tap in taps)
            {
                var x = image;
                foreach (var (name, layer) in layers)
                {
                    x = layer.call(x);
                    if (name == tap) { kept[name] = x; break; }
                }
            }
            return kept;
        }));
        // Computed under no_grad.
        Assert.Contains("cannot carry a gradient back to the image", Fails((layers, image, taps) =>
        {
            using var _ = no_grad();
            return Right(layers, image, taps);
        }));
        // Each layer fed the image instead of the previous output.
        Assert.Contains("relu1 has shape [1, 3, 8, 8], expected [1, 4, 8, 8]", Fails((layers, image, taps) =>
            layers.Where(l => taps.Contains(l.Name)).ToDictionary(l => l.Name, l => l.Layer.call(image))));
    }
}
