using System.Globalization;

namespace MetaQap.Worker.Tests.Support;

/// <summary>Reads one sample from Prometheus' text exposition format.</summary>
internal static class MetricsText
{
    /// <summary>The value of the line that starts with <paramref name="series"/> (name and labels as written), or 0.</summary>
    public static double Value(string text, string series)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
