using System.Globalization;

namespace MetaQap.Cli.Commands;

/// <summary>What the bench commands share: medians and the machine's load at the time of a measurement.</summary>
internal static class BenchClock
{
    public static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The 1-minute load average (as `uptime` prints it), so a figure can be read against how busy the machine was.</summary>
    public static string Load()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Create(CultureInfo.InvariantCulture, $"load {fields[0]} {fields[1]} {fields[2]}");
        }
        catch (IOException)
        {
            return "load n/a";
        }
    }
}
