using System.Runtime.InteropServices;

namespace MetaQap.Modeling.Runtime;

/// <summary>
/// Keeps glibc's malloc from handing libtorch's freed activation buffers back to the kernel between forward passes.
/// <para>
/// libtorch allocates every intermediate tensor with malloc. On any thread but the process's first, glibc serves
/// those from a per-thread arena and trims the arena's free top back to the kernel as soon as it exceeds 128 KiB, and
/// it maps anything above its (adaptive) mmap threshold with a fresh mmap. A .NET worker runs inference on pool
/// threads, so each forward pass page-faulted all of its activations in again: on one thread mobilenet_v3_small
/// ran at 392 images/s before and 590 after these settings (`metaqap bench forward`, docs/performance.md), where
/// PyTorch runs at ~640. PyTorch from Python does not see this because it runs on the main thread, whose heap grows
/// and shrinks with sbrk under adaptive thresholds.
/// </para>
/// <para>
/// The fix pins the mmap threshold at glibc's 64-bit maximum (32 MiB: buffers up to that come from the arena and are
/// reused) and lets an arena keep up to <see cref="TrimThresholdBytes"/> of free memory at its top. Memory a model
/// used stays mapped for its next batch instead of being returned and faulted back; RSS is then the working set
/// of the largest batch per arena, which the scale benchmark reports.
/// </para>
/// </summary>
public static class NativeHeap
{
    /// <summary>Free memory an arena keeps at its top before trimming it (glibc's M_TRIM_THRESHOLD).</summary>
    public const int TrimThresholdBytes = 128 << 20;

    /// <summary>Allocations up to this size come from the arenas rather than a private mmap (M_MMAP_THRESHOLD's ceiling on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    // mallopt parameter numbers from glibc's malloc.h.
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    private static readonly Lazy<bool> s_applied = new(Apply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Applies the settings once per process, before the first model runs; later calls return the first outcome.
    /// False where the C library is not glibc (or refused a value): the process then runs with its allocator's defaults.
    /// </summary>
    public static bool RetainFreedMemory() => s_applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // mallopt returns 1 on success and 0 for a value it refuses.
            return mallopt(MMmapThreshold, MmapThresholdBytes) == 1 && mallopt(MTrimThreshold, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl and other C libraries have no mallopt.
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int mallopt(int param, int value);
}
