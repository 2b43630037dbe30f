using System.Diagnostics;
using System.Reflection;
using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;
using Xunit.Abstractions;

namespace MetaQap.Imaging.Tests.Metrics;

/// <summary>Prints how long Measure() takes; never asserts on time (shared CI machines vary too much).</summary>
public sealed class FullReferenceMetricsTimingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(224, 224, 200)]
    [InlineData(512, 384, 30)]
    [InlineData(2000, 2000, 3)]
    public void Measure_reports_its_time_per_image(int width, int height, int repetitions)
    {
        RgbImage a = SyntheticImages.Scene(width, height, seed: 1);
        RgbImage b = SyntheticImages.Noise(a, 0.05, seed: 2);
        FullReferenceScores first = FullReferenceMetrics.Measure(a, b);
        for (int i = 0; i < repetitions / 4; i++)
        {
            FullReferenceMetrics.Measure(a, b); // warm-up: tiered JIT, array pool
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < repetitions; i++)
        {
            Assert.Equal(first, FullReferenceMetrics.Measure(a, b));
        }

        watch.Stop();
        bool optimised = typeof(FullReferenceMetrics).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
        output.WriteLine(
            $"Measure {width}x{height}: {watch.Elapsed.TotalMilliseconds / repetitions:F3} ms per image over {repetitions} runs"
            + (optimised ? string.Empty : " (unoptimised Debug build: use -c Release for real numbers)"));
    }
}
