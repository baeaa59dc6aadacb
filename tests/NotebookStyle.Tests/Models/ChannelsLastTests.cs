using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Models;

/// <summary>
/// VGG19's channels-last (NHWC) convolutions on the CPU: same shapes and values as channels-first, the Gram read without a
/// copy, and the whole objective's loss and gradient the same in either layout.
/// </summary>
public class ChannelsLastTests
{
    private static Tensor Random(long seed, params long[] shape) =>
        rand(shape, generator: new Generator((ulong)seed));

    private static bool Same(Tensor a, Tensor b)
    {
        using var eq = a.eq(b);
        using var all = eq.all();
        return a.shape.SequenceEqual(b.shape) && all.ToBoolean();
    }

    [Fact]
    public void FromKeepsShapeAndValuesAndLaysChannelsLast()
    {
        Torch.Ready();
        using var x = Random(1, 1, 5, 4, 3);
        Assert.False(ChannelsLast.Is(x));
        using var y = ChannelsLast.From(x);
        Assert.True(ChannelsLast.Is(y));
        Assert.False(y.is_contiguous());
        Assert.Equal(x.shape, y.shape);
        Assert.True(Same(x, y));
        Assert.Equal(new long[] { 60, 1, 15, 5 }, y.stride());
        using var again = ChannelsLast.From(y); // already channels-last: the same memory, no copy
        again.add_(1);
        Assert.True(Same(y, x.add(1)));
        Assert.Throws<ArgumentException>(() => ChannelsLast.From(x.squeeze(0)));
    }

    [Fact]
    public void FlattenReadsAChannelsLastMapInPlace()
    {
        Torch.Ready();
        using var nchw = Random(2, 1, 6, 3, 4);
        using var nhwc = ChannelsLast.From(nchw);
        using var f = GramMatrix.Flatten(nhwc);
        Assert.Equal(new long[] { 6, 12 }, f.shape);
        using var expected = nchw.reshape(6, 12);
        Assert.True(Same(f, expected));
        nhwc.mul_(2); // a view: the map's change shows in F
        Assert.True(Same(f, expected.mul(2)));
        using var g1 = GramMatrix.Compute(nhwc);
        using var g2 = GramMatrix.Compute(nchw.mul(2));
        Assert.True(g1.allclose(g2, rtol: 1e-5, atol: 1e-5));
        // A core cut out of a wider map is neither layout: it is copied, with the same values.
        using var core = nhwc.narrow(3, 1, 2);
        using var fc = GramMatrix.Flatten(core);
        Assert.True(Same(fc, nchw.mul(2).narrow(3, 1, 2).reshape(6, 6)));
    }

    [Theory]
    [InlineData(Pooling.Max)]
    [InlineData(Pooling.Average)]
    public void Vgg19ActivationsAreTheSameInEitherLayout(Pooling pooling)
    {
        Torch.Ready();
        using var net = new Vgg19(pooling);
        Assert.True(net.ChannelsLastOnCpu); // VGG19's default on the CPU
        using var image = Random(3, 1, 3, 40, 48);
        string[] taps = ["relu1_1", "pool2", "relu3_1", "conv4_2", "relu5_1"];
        var nhwc = net.ExtractRgb(image, taps);
        net.ChannelsLastOnCpu = false;
        var nchw = net.ExtractRgb(image, taps);
        try
        {
            foreach (var tap in taps)
            {
                Assert.True(ChannelsLast.Is(nhwc[tap]), tap);
                Assert.True(nchw[tap].is_contiguous(), tap);
                Assert.Equal(nchw[tap].shape, nhwc[tap].shape);
                double scale = nchw[tap].abs().max().ToDouble();
                double diff = nchw[tap].sub(nhwc[tap]).abs().max().ToDouble();
                Assert.True(diff <= 1e-5 * scale, $"{tap}: {diff:E2} of {scale:E2}");
            }
        }
        finally
        {
            foreach (var t in nhwc.Values.Concat(nchw.Values)) t.Dispose();
        }
    }

    [Fact]
    public void TheObjectivesLossAndGradientAreTheSameInEitherLayout()
    {
        Torch.Ready();
        using var net = new Vgg19();
        using var content = Random(4, 1, 3, 48, 64);
        using var style = Random(5, 1, 3, 40, 56);
        var d = NetworkDefaults.Vgg19Defaults;
        (double Loss, Tensor Gradient) Run(bool channelsLast)
        {
            net.ChannelsLastOnCpu = channelsLast;
            using var objective = StyleTransferObjective.Create(net, content, style, d.Layers, d.Normalization, d.ContentWeight, d.StyleWeight, 1e-3);
            using var x = Random(6, 1, 3, 48, 64).requires_grad_(true);
            var (total, _) = objective.Evaluate(x);
            using (total)
            {
                total.backward();
                return (total.ToDouble(), x.grad!.detach().clone());
            }
        }
        var (l1, g1) = Run(true);
        var (l0, g0) = Run(false);
        using (g1)
        using (g0)
        {
            Assert.True(Math.Abs(l1 - l0) <= 1e-5 * Math.Abs(l0), $"loss {l1} vs {l0}");
            double rel = g1.sub(g0).norm().ToDouble() / g0.norm().ToDouble();
            Assert.True(rel < 1e-4, $"gradient relative L2 {rel:E2}");
        }
    }

    [Fact]
    public void PreparedWeightsAreChannelsLastOnTheCpuWithTheSameValues()
    {
        Torch.Ready();
        using var net = new Vgg19();
        var weights = net.Convolutions().Select(c => c.Conv.weight!).ToList();
        var before = weights.Select(w => w.detach().clone()).ToList();
        using var image = Random(7, 1, 3, 32, 40);
        var unprepared = net.ExtractRgb(image, ["relu5_1"]);
        try
        {
            Assert.All(weights, w => Assert.True(w.is_contiguous()));
            using (net.PrepareForEvaluation())
            {
                // Channels-last like the maps: no convolution copies its weight into the input's layout on each call.
                Assert.All(weights, w => Assert.True(ChannelsLast.Is(w) && !w.is_contiguous()));
                for (int i = 0; i < weights.Count; i++) Assert.True(Same(weights[i], before[i]), $"weight {i}");
                Assert.All(weights, w => Assert.False(w.requires_grad));
                var prepared = net.ExtractRgb(image, ["relu5_1"]);
                using (prepared["relu5_1"])
                {
                    double scale = unprepared["relu5_1"].abs().max().ToDouble();
                    double diff = prepared["relu5_1"].sub(unprepared["relu5_1"]).abs().max().ToDouble();
                    Assert.True(diff <= 1e-5 * scale, $"{diff:E2} of {scale:E2}");
                }
                net.ChannelsLastOnCpu = false; // switched while prepared: the weights follow
                Assert.All(weights, w => Assert.True(w.is_contiguous()));
                net.ChannelsLastOnCpu = true;
                Assert.All(weights, w => Assert.True(ChannelsLast.Is(w)));
            }
            Assert.False(net.Prepared);
            Assert.All(weights, w => Assert.True(w.is_contiguous())); // back as loaded: state dicts, saving, moving
            for (int i = 0; i < weights.Count; i++) Assert.True(Same(weights[i], before[i]), $"weight {i}");
        }
        finally
        {
            foreach (var t in before.Concat(unprepared.Values)) t.Dispose();
        }
    }
}
