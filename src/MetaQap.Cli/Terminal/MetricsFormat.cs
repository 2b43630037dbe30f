using System.Globalization;

namespace MetaQap.Cli.Terminal;

/// <summary>Registry and event metrics as one line: <c>name=value</c> in name order, invariant culture.</summary>
internal static class MetricsFormat
{
    public static string Inline(IReadOnlyDictionary<string, double> metrics) => string.Join(" ",
        metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={Value(m.Value)}"));

    /// <summary>Integral values (counts, epochs) without decimals; others to 4 decimals; "-" for none.</summary>
    public static string Value(double? value) => value switch
    {
        null => "-",
        { } v when double.IsInteger(v) && Math.Abs(v) < 1e9 => v.ToString("0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };
}
