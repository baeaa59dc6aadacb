using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Backend;

/// <summary>
/// How much memory a run may plan with on a device: on CUDA the device's free memory (<c>cudaMemGetInfo</c>), on the
/// CPU what the operating system says is available (<c>MemAvailable</c> in /proc/meminfo on Linux, the runtime's view
/// elsewhere), each with a margin for what the estimates do not see (allocator caches, fragmentation, other processes).
/// </summary>
public static class DeviceMemory
{
    /// <summary>The share of the free memory a run plans with on the CPU.</summary>
    public const double CpuMargin = 0.6;

    /// <summary>The share of the free memory a run plans with on a CUDA device.</summary>
    public const double CudaMargin = 0.8;

    /// <summary>Bytes free on <paramref name="device"/> now (null: unknown).</summary>
    public static long? FreeBytes(Device device) =>
        device.type == DeviceType.CUDA ? CudaMemory.FreeBytes() : AvailableSystemBytes();

    /// <summary>The memory budget for one evaluation on <paramref name="device"/>: its free memory times the margin (null: unknown).</summary>
    public static long? Budget(Device device) =>
        FreeBytes(device) is long free ? (long)(free * (device.type == DeviceType.CUDA ? CudaMargin : CpuMargin)) : null;

    /// <summary>Available system memory: <c>MemAvailable</c> on Linux, else the runtime's total available memory.</summary>
    public static long? AvailableSystemBytes()
    {
        if (OperatingSystem.IsLinux() && ReadMemAvailable("/proc/meminfo") is long available) return available;
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return total > 0 ? total : null;
    }

    /// <summary>The <c>MemAvailable</c> line of a meminfo file, in bytes (null when absent or unreadable).</summary>
    public static long? ReadMemAvailable(string path)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb)) return kb * 1024;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return null;
    }
}
