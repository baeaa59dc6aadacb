using System.Diagnostics;
using NotebookStyle.Imaging;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>Peak memory and time of the colour target at poster size: the content matched to the style's histogram (the ResNet default's colour mode).</summary>
internal static class ColourMemory
{
    public static int Run(Arguments a)
    {
        int size = a.Int("size", 4096);
        using var content = ImageTensor.Load(a.Text("content"), size);
        using var style = ImageTensor.Load(a.Text("style"), size);
        Console.WriteLine($"images loaded: VmHWM {ProcessInfo.StatusKb("VmHWM") / 1024} MB, VmRSS {ProcessInfo.StatusKb("VmRSS") / 1024} MB");
        ProcessInfo.ResetPeak();
        var clock = Stopwatch.StartNew();
        using var target = ColorTransfer.MatchHistogram(content, style, 0.7);
        Console.WriteLine($"histogram match {content.shape[3]}×{content.shape[2]}: {clock.Elapsed.TotalSeconds:F1} s, peak {ProcessInfo.StatusKb("VmHWM") / 1024} MB, now {ProcessInfo.StatusKb("VmRSS") / 1024} MB");
        return 0;
    }
}
