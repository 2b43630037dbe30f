namespace MetaQap.Modeling.Tests.Loss;

/// <summary>
/// A plain sort-based Spearman in doubles, independent of the TorchSharp code under test, used to judge training.
/// </summary>
internal static class ReferenceRanks
{
    public static double Spearman(double[] a, double[] b) => Pearson(AverageRanks(a), AverageRanks(b));

    public static double[] AverageRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            // Positions start..end (0-based) share the mean of ranks start+1..end+1.
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    private static double Pearson(double[] a, double[] b)
    {
        var meanA = a.Average();
        var meanB = b.Average();
        double covariance = 0, varianceA = 0, varianceB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            covariance += (a[i] - meanA) * (b[i] - meanB);
            varianceA += (a[i] - meanA) * (a[i] - meanA);
            varianceB += (b[i] - meanB) * (b[i] - meanB);
        }

        return covariance / Math.Sqrt(varianceA * varianceB);
    }
}
