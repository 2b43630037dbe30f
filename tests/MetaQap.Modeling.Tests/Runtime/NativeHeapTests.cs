using System.Globalization;
using System.Runtime.InteropServices;
using MetaQap.Modeling.Runtime;

namespace MetaQap.Modeling.Tests.Runtime;

public sealed class NativeHeapTests
{
    /// <summary>
    /// What libtorch does on every forward pass, reduced to one buffer: a pool thread mallocs an activation-sized
    /// buffer, writes it and frees it. With glibc's defaults a 24 MiB buffer is mmapped afresh each time (and its
    /// pages faulted in: 6,144 per cycle); with the settings applied it is reused from the thread's arena.
    /// </summary>
    [SkippableFact]
    public unsafe void A_freed_activation_buffer_is_reused_without_page_faults()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "glibc's allocator only");
        Assert.True(NativeHeap.RetainFreedMemory(), "mallopt refused the settings");
        Assert.True(NativeHeap.RetainFreedMemory(), "a second call reports the first outcome");

        const int bytes = 24 << 20, page = 4096, cycles = 20;
        long faults = -1;
        var thread = new Thread(() =>
        {
            Cycle(); // the arena grows once
            long before = MinorFaults();
            for (int i = 0; i < cycles; i++)
            {
                Cycle();
            }

            faults = MinorFaults() - before;
        });
        thread.Start();
        thread.Join();

        // Other threads of the test host fault a little meanwhile; the defaults would cost 20 x 6,144.
        Assert.InRange(faults, 0, bytes / page);

        static void Cycle()
        {
            byte* buffer = (byte*)NativeMemory.Alloc(bytes);
            for (int offset = 0; offset < bytes; offset += page)
            {
                buffer[offset] = 1;
            }

            NativeMemory.Free(buffer);
        }
    }

    /// <summary>minflt, the 10th field of /proc/self/stat (counted after the parenthesised command name).</summary>
    private static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}
