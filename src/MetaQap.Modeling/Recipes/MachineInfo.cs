using System.Globalization;
using System.Runtime.InteropServices;

namespace MetaQap.Modeling.Recipes;

/// <summary>What the timings were measured on: core count and CPU model.</summary>
internal static class MachineInfo
{
    /// <summary>The first "model name" of /proc/cpuinfo, else the processor architecture.</summary>
    public static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (File.Exists(CpuInfo))
        {
            foreach (string line in File.ReadLines(CpuInfo))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is int colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>"nproc 2, Intel(R) Xeon(R) …".</summary>
    public static string Describe() => string.Create(CultureInfo.InvariantCulture, $"nproc {Environment.ProcessorCount}, {CpuModel()}");
}
