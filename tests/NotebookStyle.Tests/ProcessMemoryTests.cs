using NotebookStyle.Backend;
using static TorchSharp.torch;

namespace NotebookStyle.Tests;

public class ProcessMemoryTests
{
    private static long RssKb() =>
        long.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    [Fact]
    public void ReleaseReturnsFreedManagedMemoryAndLeavesTorchUsable()
    {
        Torch.Ready();
        if (!OperatingSystem.IsLinux()) return;
        ProcessMemory.Release();
        long before = RssKb();
        // 128 MB of large arrays, touched, then dropped: the collection must give (most of) it back to the system.
        var arrays = Enumerable.Range(0, 32).Select(_ => new byte[4 << 20]).ToList();
        foreach (var a in arrays) Array.Fill(a, (byte)1);
        long peak = RssKb();
        arrays.Clear();
        ProcessMemory.Release();
        long after = RssKb();
        Assert.True(peak - before > 100_000, $"the arrays did not show in RSS ({before} → {peak} kB)");
        Assert.True(after < peak - 64_000, $"RSS {before} → {peak} → {after} kB: the freed arrays stayed resident");
        using var t = ones(64, 64);
        Assert.Equal(4096f, t.sum().item<float>());
    }

    [Fact]
    public void TrimNativeRunsWhereGlibcHasIt()
    {
        Torch.Ready();
        using (var big = zeros(8 << 20)) big.add_(1); // 32 MB through libtorch's allocator
        bool trimmed = ProcessMemory.TrimNative();
        if (!OperatingSystem.IsLinux()) Assert.False(trimmed);
    }
}
