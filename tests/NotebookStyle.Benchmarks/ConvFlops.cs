using NotebookStyle.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>Counts convolution FLOPs (2 per multiply-add) of one forward pass by hooking every Conv2d.</summary>
internal static class ConvFlops
{
    /// <summary>FLOPs of the convolutions a forward pass to the deepest of <paramref name="taps"/> runs on <paramref name="rgb"/>.</summary>
    public static long Forward(FeatureExtractor network, Tensor rgb, IEnumerable<string> taps)
    {
        long flops = 0;
        var removers = new List<Action>();
        foreach (var (_, module) in network.named_modules())
        {
            if (module is not Conv2d conv) continue;
            var hook = conv.register_forward_hook((m, input, output) =>
            {
                var w = ((Conv2d)m).weight!.shape; // [Cout, Cin/groups, kh, kw]
                flops += 2L * w[0] * w[1] * w[2] * w[3] * output.shape[0] * output.shape[2] * output.shape[3];
                return output;
            });
            removers.Add(hook.remove);
        }
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            network.ExtractRgb(rgb, taps);
        }
        finally
        {
            foreach (var remove in removers) remove();
        }
        return flops;
    }
}
