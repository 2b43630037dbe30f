using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Tests.Evaluation;

public sealed class CorrelationTests
{
    // Vectors and expected values are those of tools/reference/eval_metrics.py, produced with
    //   /usr/bin/python3 tools/reference/eval_metrics.py   (Debian 12: numpy 1.24.2, scipy 1.10.1)
    // using scipy.stats.pearsonr, spearmanr, kendalltau(variant='b') and numpy for RMSE.
    private static readonly Dictionary<string, (double[] X, double[] Y)> s_vectors = new()
    {
        ["distinct"] = ([1.2, 2.4, 3.1, 4.8, 5.0, 6.7, 7.3, 8.8, 9.1, 10.5], [2.0, 1.9, 3.5, 4.1, 6.2, 5.9, 7.7, 8.0, 9.9, 9.5]),
        ["ties"] = ([1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7], [2, 1, 2, 3, 5, 3, 4, 4, 6, 6, 7, 8]),
        ["negative_ties"] = ([5, 5, 4, 4, 4, 3, 3, 2, 1, 1], [1.5, 2.5, 2.5, 2.5, 4.0, 3.0, 5.0, 5.0, 4.0, 6.0]),
    };

    [Theory]
    [InlineData("distinct", 0.9646642778817803, 0.9636363636363635, 0.8666666666666666, 0.7784600182411427)]
    [InlineData("ties", 0.917662935482247, 0.9287120313993018, 0.83617794062454, 0.8660254037844386)]
    [InlineData("negative_ties", -0.8003991905551557, -0.8328117147836415, -0.7342360411356582, 2.6457513110645907)]
    public void Statistics_match_scipy_on_fixed_vectors(string name, double pearson, double spearman, double kendall, double rmse)
    {
        (double[] x, double[] y) = s_vectors[name];

        Assert.Equal(pearson, Correlation.Plcc(x, y), 1e-12);
        Assert.Equal(spearman, Correlation.Srocc(x, y), 1e-12);
        Assert.Equal(kendall, Correlation.Krocc(x, y), 1e-12);
        Assert.Equal(rmse, Correlation.Rmse(x, y), 1e-12);
    }

    [Fact]
    public void Ranks_average_ties_like_scipy_rankdata()
    {
        Assert.Equal([1.0, 2.5, 2.5, 5.0, 5.0, 5.0, 7.0, 8.5, 8.5, 10.0, 11.5, 11.5], Correlation.Ranks(s_vectors["ties"].X));
        Assert.Equal([9.5, 9.5, 7.0, 7.0, 7.0, 4.5, 4.5, 3.0, 1.5, 1.5], Correlation.Ranks(s_vectors["negative_ties"].X));
    }

    [Fact]
    public void Krocc_agrees_with_the_quadratic_definition_on_heavily_tied_data()
    {
        var random = new Random(20240611);
        const int n = 1500;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = random.Next(0, 40);
            y[i] = Math.Round(x[i] / 8 + (random.NextDouble() * 4), 0);
        }

        Assert.Equal(NaiveTauB(x, y), Correlation.Krocc(x, y), 1e-12);
    }

    [Fact]
    public void Krocc_handles_a_hundred_thousand_pairs()
    {
        const int n = 100_000;
        var x = new double[n];
        var reversed = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i;
            reversed[i] = -i;
        }

        Assert.Equal(1.0, Correlation.Krocc(x, x), 12);
        Assert.Equal(-1.0, Correlation.Krocc(x, reversed), 12);
    }

    [Fact]
    public void Rank_correlations_ignore_monotonic_transforms()
    {
        (double[] x, double[] y) = s_vectors["ties"];
        double[] warped = Array.ConvertAll(x, v => Math.Exp(v) - 3);

        Assert.Equal(Correlation.Srocc(x, y), Correlation.Srocc(warped, y), 14);
        Assert.Equal(Correlation.Krocc(x, y), Correlation.Krocc(warped, y), 14);
        Assert.NotEqual(Correlation.Plcc(x, y), Correlation.Plcc(warped, y), 3);
    }

    [Fact]
    public void Correlations_of_a_constant_vector_are_NaN()
    {
        double[] constant = [3, 3, 3, 3];
        double[] y = [1, 2, 3, 4];

        Assert.True(double.IsNaN(Correlation.Plcc(constant, y)));
        Assert.True(double.IsNaN(Correlation.Srocc(y, constant)));
        Assert.True(double.IsNaN(Correlation.Krocc(constant, y)));
        Assert.Equal(Math.Sqrt(1.5), Correlation.Rmse(constant, y), 14);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [1, 2, 3];

        Assert.Throws<ArgumentException>(() => Correlation.Plcc(x, y));
        Assert.Throws<ArgumentException>(() => Correlation.Srocc(x, y));
        Assert.Throws<ArgumentException>(() => Correlation.Krocc(x, y));
        Assert.Throws<ArgumentException>(() => Correlation.Rmse(x, y));
    }

    [Fact]
    public void Fewer_than_three_pairs_are_rejected()
    {
        double[] x = [1, 2];

        Assert.Throws<ArgumentException>(() => Correlation.Plcc(x, x));
        Assert.Throws<ArgumentException>(() => Correlation.Krocc(x, x));
    }

    [Fact]
    public void Non_finite_values_are_rejected()
    {
        double[] x = [1, double.NaN, 3];
        double[] y = [1, 2, 3];

        Assert.Throws<ArgumentException>(() => Correlation.Srocc(x, y));
        Assert.Throws<ArgumentException>(() => Correlation.Ranks(x));
    }

    private static double NaiveTauB(double[] x, double[] y)
    {
        long concordant = 0, discordant = 0, xOnly = 0, yOnly = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = i + 1; j < x.Length; j++)
            {
                double dx = Math.Sign(x[i] - x[j]);
                double dy = Math.Sign(y[i] - y[j]);
                if (dx == 0 && dy == 0)
                {
                    continue;
                }

                if (dx == 0)
                {
                    xOnly++;
                }
                else if (dy == 0)
                {
                    yOnly++;
                }
                else if (dx == dy)
                {
                    concordant++;
                }
                else
                {
                    discordant++;
                }
            }
        }

        return (concordant - discordant) / Math.Sqrt((double)(concordant + discordant + xOnly) * (concordant + discordant + yOnly));
    }
}
