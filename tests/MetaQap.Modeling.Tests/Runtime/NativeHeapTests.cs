using System.Globalization;
using System.Runtime.InteropServices;
using MetaQap.Modeling.Runtime;

namespace MetaQap.Modeling.Tests.Runtime;

public sealed class NativeHeapTests
{
    /// <summary>
    /// What libtorch does on every forward pass, reduced to its allocations: a pool thread mallocs several
    /// activation-sized buffers (8 × 3 MiB live at once), writes them and frees them all, 20 times. With the settings
    /// applied the arena keeps the freed memory and the 20 passes cost 7–8 page faults; with mallopt disabled
    /// (checked by editing NativeHeap) glibc gave the memory back and they cost 6,149, a pass's worth of pages. The
    /// bound sits between the two.
    /// </summary>
    [SkippableFact]
    public unsafe void Freed_activation_buffers_are_reused_without_page_faults()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "glibc's allocator only");
        Assert.True(NativeHeap.RetainFreedMemory(), "mallopt refused the settings");
        Assert.True(NativeHeap.RetainFreedMemory(), "a second call reports the first outcome");

        const int buffers = 8, bytes = 3 << 20, page = 4096, passes = 20;
        long faults = -1;
        var thread = new Thread(() =>
        {
            Pass(); // the arena grows once
            long before = MinorFaults();
            for (int i = 0; i < passes; i++)
            {
                Pass();
            }

            faults = MinorFaults() - before;
        });
        thread.Start();
        thread.Join();

        // The thread's own faults only, so tests running beside it do not count.
        Assert.InRange(faults, 0, buffers * bytes / page / 4);

        static void Pass()
        {
            var held = new nint[buffers];
            for (int b = 0; b < buffers; b++)
            {
                byte* buffer = (byte*)NativeMemory.Alloc(bytes);
                for (int offset = 0; offset < bytes; offset += page)
                {
                    buffer[offset] = 1;
                }

                held[b] = (nint)buffer;
            }

            foreach (nint buffer in held)
            {
                NativeMemory.Free((void*)buffer);
            }
        }
    }

    /// <summary>The calling thread's minflt, the 10th field of /proc/thread-self/stat (counted after the parenthesised name).</summary>
    private static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}
