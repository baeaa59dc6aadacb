using NotebookStyle.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Models;

public class Vgg19Tests
{
    [Fact]
    public void SummaryMatchesTheKerasExamplesTable()
    {
        Torch.Ready();
        using var net = new Vgg19();
        var summary = ModelSummary.Create(net, 224, 224);
        Assert.Equal(20_024_384, summary.TotalParameters);
        Assert.Equal(0, summary.TrainableParameters);
        Assert.Equal(22, summary.Rows.Count); // input, 16 conv, 5 pool
        Assert.Equal(new SummaryRow("block1_conv1", "Conv2D", "(None, 224, 224, 64)", 1792), summary.Rows[1]);
        Assert.Equal(new SummaryRow("block5_pool", "MaxPooling2D", "(None, 7, 7, 512)", 0), summary.Rows[^1]);
        string table = summary.ToString();
        Assert.Contains("Layer (type)", table);
        Assert.Contains("block3_conv4 (Conv2D)", table);
        Assert.Contains("Total params: 20,024,384", table);
    }

    [Fact]
    public void NamesAndAliasesResolve()
    {
        Torch.Ready();
        using var net = new Vgg19(Pooling.Average);
        Assert.Equal(37, net.LayerNames.Count);
        Assert.Equal("relu5_2", net.Resolve("block5_conv2"));
        Assert.Equal("pool3", net.Resolve("block3_pool"));
        Assert.Equal("conv4_2", net.Resolve("conv4_2"));
        var ex = Assert.Throws<UnknownLayerException>(() => net.Resolve("block6_conv1"));
        Assert.Contains("conv1_1", ex.Message);
        Assert.Equal(["features.0.weight", "features.0.bias"], net.named_parameters().Take(2).Select(p => p.name));
        Assert.Equal("AveragePooling2D", ModelSummary.Create(net, 32, 32).Rows[^1].Type);
    }

    [Fact]
    public void ExtractKeepsOnlyTheTapsAndStopsAtTheDeepest()
    {
        Torch.Ready();
        using var net = new Vgg19(seed: 2);
        int pool3Calls = 0;
        var hook = ((nn.Module<Tensor, Tensor>)net.named_modules().First(m => m.name == "features.18").module)
            .register_forward_hook((_, _, output) => { pool3Calls++; return output; });
        using var x = rand(1, 3, 32, 32);
        using (no_grad())
        {
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            var taps = net.Extract(x, ["relu1_1", "block2_conv1", "relu2_1"]);
            long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            Assert.Equal(3, taps.Count);
            Assert.Same(taps["block2_conv1"], taps["relu2_1"]);
            Assert.Equal(2, after - before); // two distinct activations kept, every intermediate disposed
            Assert.Equal([1L, 128, 16, 16], taps["relu2_1"].shape);
            Assert.Equal(0, pool3Calls);
            foreach (var t in taps.Values.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>()) t.Dispose();
            using var deep = net.Extract(x, ["relu4_1"])["relu4_1"];
            Assert.Equal(1, pool3Calls);
            hook.remove();
        }
    }

    [Fact]
    public void SeededWeightsAreReproducibleAndFrozen()
    {
        Torch.Ready();
        using var a = new Vgg19(seed: 7);
        using var b = new Vgg19(seed: 7);
        using var c = new Vgg19(seed: 8);
        var wa = a.parameters().First(); var wb = b.parameters().First(); var wc = c.parameters().First();
        Assert.True(wa.allclose(wb, 0, 0));
        Assert.False(wa.allclose(wc, 0, 0));
        Assert.All(a.parameters(), p => Assert.False(p.requires_grad));
    }
}
