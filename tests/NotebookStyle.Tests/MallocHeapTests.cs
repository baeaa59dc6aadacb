using System.Runtime.InteropServices;
using NotebookStyle.Backend;

namespace NotebookStyle.Tests;

/// <summary>Tests that read malloc's own accounts: nothing else may allocate, free or trim while they run.</summary>
[CollectionDefinition(nameof(ProcessWideMalloc), DisableParallelization = true)]
public sealed class ProcessWideMalloc;

[Collection(nameof(ProcessWideMalloc))]
public class MallocHeapTests
{
    /// <summary>glibc's <c>struct mallinfo2</c> (glibc 2.33 on): ten size_t counters.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 MallInfo();

    /// <summary>Bytes malloc holds in blocks it mapped on their own (<c>hblkhd</c>) while one block of <paramref name="size"/> is live, over before.</summary>
    private static long MappedOnItsOwn(int size)
    {
        long before = (long)MallInfo().HBlkHd;
        IntPtr block = Marshal.AllocHGlobal(size); // malloc on Unix
        long during = (long)MallInfo().HBlkHd;
        Marshal.FreeHGlobal(block);
        return during - before;
    }

    [LinuxFact]
    public void LargeBlocksComeFromTheHeapOnceTheBackendIsLoaded()
    {
        Torch.Ready();
        if (ProcessMemory.UserChoseMallocSettings(Environment.GetEnvironmentVariable)) return; // the user's settings stand
        Assert.True(ProcessMemory.KeepTensorBuffersInHeap(), "glibc's mallopt refused the thresholds");
        // 40 MB and 50 MB (VGG19's largest maps at 512 px are 50 MB): above the 32 MB up to which glibc's own threshold
        // adapts, so by default each is mapped on its own, faults all its pages in and is unmapped when freed; now they
        // come from the heap, whose freed pages the next evaluation's maps reuse.
        // (On this test's thread, whose arena is not the main one, blocks over ~64 MB are still mapped on their own.)
        foreach (int size in new[] { 40 << 20, 50 << 20 })
            Assert.Equal(0, MappedOnItsOwn(size));
        // Above the limit malloc still maps a block on its own.
        Assert.True(MappedOnItsOwn(ProcessMemory.HeapBlockLimit + (1 << 20)) >= ProcessMemory.HeapBlockLimit);
    }

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("268435456", null, null, true)]
    [InlineData(null, "0", null, true)]
    [InlineData(null, null, "glibc.malloc.mmap_threshold=1048576", true)]
    [InlineData(null, null, "glibc.rtld.nns=4", false)]
    public void TheUsersMallocSettingsStand(string? mmap, string? trim, string? tunables, bool chosen)
    {
        var environment = new Dictionary<string, string?>
        {
            ["MALLOC_MMAP_THRESHOLD_"] = mmap, ["MALLOC_TRIM_THRESHOLD_"] = trim, ["GLIBC_TUNABLES"] = tunables,
        };
        Assert.Equal(chosen, ProcessMemory.UserChoseMallocSettings(name => environment.GetValueOrDefault(name)));
    }
}
