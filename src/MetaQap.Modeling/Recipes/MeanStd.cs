using System.Globalization;

namespace MetaQap.Modeling.Recipes;

/// <summary>Mean and sample standard deviation (n − 1) of a per-fold figure; NaN folds count (they make the mean NaN).</summary>
public sealed record MeanStd(double Mean, double Std, int Count)
{
    public static MeanStd Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] v = [.. values];
        if (v.Length == 0)
        {
            return new MeanStd(double.NaN, double.NaN, 0);
        }

        double mean = v.Average();
        double sum = 0;
        foreach (double x in v)
        {
            sum += (x - mean) * (x - mean);
        }

        return new MeanStd(mean, v.Length > 1 ? Math.Sqrt(sum / (v.Length - 1)) : 0, v.Length);
    }

    /// <summary>"0.8123 ± 0.0210" with <paramref name="decimals"/> decimals.</summary>
    public string Format(int decimals = 4)
    {
        string format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {Std.ToString(format, CultureInfo.InvariantCulture)}";
    }
}
