using System.Diagnostics;
using System.Globalization;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using Xunit.Abstractions;

namespace MetaQap.Imaging.Tests.Distortions;

/// <summary>
/// Prints the mean time per distortion type (all five levels) at 224x224 and 512x512; asserts nothing.
/// Opt in, since timings on a shared test machine mean little:
/// METAQAP_DISTORTION_TIMING=1 dotnet test tests/MetaQap.Imaging.Tests -c Release --filter DistortionTimingReport --logger "console;verbosity=detailed"
/// </summary>
public sealed class DistortionTimingReport(ITestOutputHelper output)
{
    [SkippableFact]
    public void Print_mean_milliseconds_per_type()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("METAQAP_DISTORTION_TIMING") == "1", "Set METAQAP_DISTORTION_TIMING=1 to print timings.");

        foreach (int size in new[] { 224, 512 })
        {
            RgbImage source = TestImages.Pattern(size, size);
            int repetitions = size <= 256 ? 8 : 2;
            double sum = 0;
            foreach (DistortionType type in Enum.GetValues<DistortionType>())
            {
                double best = double.MaxValue;
                for (int trial = 0; trial < 4; trial++)
                {
                    // Process CPU time, not wall time: on a busy machine it excludes time spent waiting for a core.
                    TimeSpan start = Process.GetCurrentProcess().TotalProcessorTime;
                    for (int r = 0; r < repetitions; r++)
                    {
                        for (int level = 1; level <= 5; level++)
                        {
                            Distorter.Apply(source, type, level, seed: (trial * 100) + r);
                        }
                    }

                    double ms = (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds / (5 * repetitions);
                    best = Math.Min(best, trial == 0 ? double.MaxValue : ms); // trial 0 warms the JIT
                }

                sum += best;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size}x{size} {DistortionCatalog.Get(type).Name,-28} {best,7:F2} ms"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size}x{size} mean over the 25 types: {sum / 25:F2} ms"));
        }
    }
}
