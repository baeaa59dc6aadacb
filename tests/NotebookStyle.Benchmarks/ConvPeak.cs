using System.Diagnostics;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// The machine's convolution throughput as this runtime sees it: a VGG-sized 3×3 convolution (256 → 256 channels on a
/// 128×128 map, 19.3 GFLOP), forward only, timed a few times after a warm-up.
/// </summary>
internal static class ConvPeak
{
    public const int Channels = 256, Side = 128, Warmup = 2, Repeats = 5;

    public static double Flops => 2.0 * Channels * Channels * 9 * Side * Side;

    /// <summary>GFLOP/s of each timed repeat.</summary>
    public static List<double> Measure()
    {
        using var _ = no_grad();
        var g = new Generator(1);
        using var x = randn([1, Channels, Side, Side], generator: g);
        using var w = randn([Channels, Channels, 3, 3], generator: g).mul_(0.02);
        var rates = new List<double>();
        for (int i = 0; i < Warmup + Repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using (var y = nn.functional.conv2d(x, w, padding: [1, 1])) { }
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (i >= Warmup) rates.Add(Flops / s / 1e9);
        }
        return rates;
    }
}
