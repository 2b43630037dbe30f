namespace MetaQap.Modeling.Tests.Meta;

/// <summary>Seeded Gaussian columns for stepwise-regression tests.</summary>
internal sealed class SyntheticColumns(int seed)
{
    private readonly Random _random = new(seed);

    public double[] Normal(int n, double mean, double sd)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            // Box–Muller; 1 − NextDouble() is in (0, 1], so the logarithm is finite.
            double u1 = 1 - _random.NextDouble();
            double u2 = _random.NextDouble();
            values[i] = mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    public static double[][] Rows(params double[][] columns)
    {
        var rows = new double[columns[0].Length][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[columns.Length];
            for (int j = 0; j < columns.Length; j++)
            {
                rows[i][j] = columns[j][i];
            }
        }

        return rows;
    }

    public static double[] Combine(double[] weights, params double[][] columns)
    {
        var y = new double[columns[0].Length];
        for (int i = 0; i < y.Length; i++)
        {
            for (int j = 0; j < columns.Length; j++)
            {
                y[i] += weights[j] * columns[j][i];
            }
        }

        return y;
    }
}
