using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookStyle.Models;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// Time of each VGG19 convolution alone at a given input size, in three layouts: maps and weights channels-first
/// (<c>nchw</c>), maps channels-last with channels-first weights (<c>nhwc</c>: the convolution copies its weight on every
/// call) and both channels-last (<c>nhwc+w</c>, what <see cref="FeatureExtractor.PrepareForEvaluation"/> gives VGG19 on the
/// CPU). Forward without a graph and the input gradient (an image optimisation's backward; weights frozen), medians of
/// <c>repeats</c> after one warm-up, random weights and maps.
/// </summary>
internal static class LayerTimes
{
    private static readonly string[] Layouts = ["nchw", "nhwc", "nhwc+w"];

    public static JsonObject Run(int size, int repeats)
    {
        var report = new JsonObject { ["mode"] = "layers", ["size"] = size, ["threads"] = get_num_threads() };
        var rows = new JsonArray();
        var g = new Generator(1);
        int side = size, inC = 3;
        for (int b = 0; b < Vgg19.BlockDepths.Length; b++)
        {
            for (int c = 1; c <= Vgg19.BlockDepths[b]; c++)
            {
                int outC = Vgg19.BlockChannels[b];
                using var w = randn([outC, inC, 3, 3], generator: g).mul_(0.05);
                using var wLast = ChannelsLast.From(w);
                using var bias = zeros(outC);
                double gflop = 2.0 * outC * inC * 9 * side * side / 1e9;
                foreach (var layout in Layouts)
                {
                    var weight = layout == "nhwc+w" ? wLast : w;
                    using var x0 = randn([1, inC, side, side], generator: g);
                    using var x1 = layout == "nchw" ? x0.alias() : ChannelsLast.From(x0);
                    using var x = x1.detach().requires_grad_(true);
                    var forward = new List<double>();
                    var backward = new List<double>();
                    for (int i = 0; i <= repeats; i++)
                    {
                        using var scope = NewDisposeScope();
                        long t0 = Stopwatch.GetTimestamp();
                        using (no_grad()) nn.functional.conv2d(x, weight, bias, padding: [1, 1]);
                        long t1 = Stopwatch.GetTimestamp();
                        var y = nn.functional.conv2d(x, weight, bias, padding: [1, 1]);
                        var dy = ones_like(y);
                        long t2 = Stopwatch.GetTimestamp();
                        y.backward([dy]);
                        long t3 = Stopwatch.GetTimestamp();
                        x.grad!.zero_();
                        if (i == 0) continue; // warm-up: oneDNN builds its kernels for the shape
                        forward.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                        backward.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                    }
                    double f = Report.Median(forward), d = Report.Median(backward);
                    string name = $"conv{b + 1}_{c}";
                    Console.WriteLine($"{name} {layout,-6} {inC,3}->{outC,3} @{side,4}: forward {f,7:F2} ms ({gflop / f * 1e3,4:F0} GFLOP/s)  input gradient {d,7:F2} ms ({gflop / d * 1e3,4:F0} GFLOP/s)");
                    rows.Add(new JsonObject
                    {
                        ["layer"] = name, ["layout"] = layout, ["in_channels"] = inC, ["out_channels"] = outC, ["side"] = side,
                        ["gflop"] = gflop, ["forward_ms"] = f, ["input_gradient_ms"] = d,
                    });
                }
                inC = outC;
            }
            side /= 2;
        }
        report["layers"] = rows;
        return report;
    }
}
