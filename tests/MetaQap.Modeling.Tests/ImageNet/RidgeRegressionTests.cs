using MetaQap.Modeling.Features;

namespace MetaQap.Modeling.Tests.ImageNet;

public sealed class RidgeRegressionTests
{
    [Theory]
    [InlineData(200, 5)]   // more rows than columns: primal
    [InlineData(30, 60)]   // more columns than rows: dual
    public void A_small_lambda_recovers_a_linear_function_of_the_raw_features(int rows, int columns)
    {
        var random = new Random(4);
        double[] truth = [.. Enumerable.Range(0, columns).Select(j => j < 3 ? (j + 1) * 0.5 : 0.0)];
        float[][] x = [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(j => (float)((random.NextDouble() * (j + 1)) + 10)).ToArray())];
        double[] y = [.. x.Select(r => 2 + r.Select((v, j) => v * truth[j]).Sum())];

        // A one-λ grid: leave-one-out has nothing to choose, the fit is the plain one.
        RidgeModel model = RidgeRegression.FitLeaveOneOut(x, y, [1e-6]);

        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(y[i], model.Predict(x[i]), 3);
        }
    }

    [Theory]
    [InlineData(40, 6)]
    [InlineData(12, 30)]
    public void The_leave_one_out_choice_is_the_lambda_with_the_lowest_error_of_explicit_refits(int rows, int columns)
    {
        var random = new Random(9);
        float[][] x = [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => (float)random.NextDouble()).ToArray())];
        double[] y = [.. x.Select(r => r[0] + (0.3 * random.NextDouble()))];
        double[] lambdas = [0.01, 0.3, 3, 30, 300];

        // The reference: each row left out in turn, intercept (unpenalised) and weights solved directly on the
        // features standardised with all rows' statistics, as the closed form assumes.
        double[][] z = Standardised(x);
        var errors = new double[lambdas.Length];
        for (int l = 0; l < lambdas.Length; l++)
        {
            for (int i = 0; i < rows; i++)
            {
                double[] w = SolveRidgeWithIntercept([.. z.Where((_, j) => j != i)], [.. y.Where((_, j) => j != i)], lambdas[l]);
                double e = w[0] + z[i].Select((v, j) => v * w[j + 1]).Sum() - y[i];
                errors[l] += e * e;
            }
        }

        RidgeModel chosen = RidgeRegression.FitLeaveOneOut(x, y, lambdas);

        Assert.Equal(lambdas[Array.IndexOf(errors, errors.Min())], chosen.Lambda);
        double[] full = SolveRidgeWithIntercept(z, y, chosen.Lambda);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(full[0] + z[i].Select((v, j) => v * full[j + 1]).Sum(), chosen.Predict(x[i]), 6);
        }
    }

    [Fact]
    public void Leave_one_out_picks_a_large_lambda_for_noise_and_a_small_one_for_signal()
    {
        var random = new Random(5);
        float[][] x = [.. Enumerable.Range(0, 120).Select(_ => Enumerable.Range(0, 40).Select(_ => (float)random.NextDouble()).ToArray())];
        double[] signal = [.. x.Select(r => (double)r[0] - r[1])];
        double[] noise = [.. x.Select(_ => random.NextDouble())];

        RidgeModel fitSignal = RidgeRegression.FitLeaveOneOut(x, signal, RidgeRegression.DefaultLambdas);
        RidgeModel fitNoise = RidgeRegression.FitLeaveOneOut(x, noise, RidgeRegression.DefaultLambdas);

        Assert.Equal(RidgeRegression.DefaultLambdas[0], fitSignal.Lambda);
        Assert.True(fitNoise.Lambda >= 30 * fitSignal.Lambda, $"λ {fitNoise.Lambda}");
    }

    [Fact]
    public void A_constant_column_gets_no_weight()
    {
        float[][] x = [.. Enumerable.Range(0, 20).Select(i => new[] { i, 7f })];
        double[] y = [.. Enumerable.Range(0, 20).Select(i => 3.0 * i)];

        RidgeModel model = RidgeRegression.FitLeaveOneOut(x, y, [1e-6]);

        Assert.Equal(0, model.Weights[1]);
        Assert.Equal(3, model.Weights[0], 4);
    }

    [Theory]
    [InlineData(40, 6)]
    [InlineData(12, 30)]
    public void A_column_scale_is_a_per_column_penalty(int rows, int columns)
    {
        var random = new Random(11);
        float[][] x = [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => (float)random.NextDouble()).ToArray())];
        double[] y = [.. x.Select(r => r[0] + r[1] + (0.3 * random.NextDouble()))];
        double[] half = [.. Enumerable.Repeat(0.5, columns)];
        double[] varied = [.. Enumerable.Range(0, columns).Select(j => j == 0 ? 3.0 : 0.7)];

        // Every column at scale s is λ/s² everywhere; one column at 3 is a ninth of the penalty on it alone.
        RidgeModel uniform = RidgeRegression.FitLeaveOneOut(x, y, [2.0], [half]);
        RidgeModel plain = RidgeRegression.FitLeaveOneOut(x, y, [8.0]);
        RidgeModel perColumn = RidgeRegression.FitLeaveOneOut(x, y, [2.0], [varied]);

        double[][] z = Standardised(x);
        double[] reference = SolveRidgeWithIntercept([.. z.Select(r => r.Select((v, j) => v * varied[j]).ToArray())], y, 2.0);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(plain.Predict(x[i]), uniform.Predict(x[i]), 9);
            Assert.Equal(reference[0] + z[i].Select((v, j) => v * varied[j] * reference[j + 1]).Sum(), perColumn.Predict(x[i]), 6);
        }
    }

    [Fact]
    public void Leave_one_out_chooses_the_scale_that_trusts_the_informative_column()
    {
        // y is column 0 plus a little noise; 59 columns of noise. Weighting column 0 up wins the leave-one-out.
        var random = new Random(3);
        float[][] x = [.. Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 60).Select(_ => (float)random.NextDouble()).ToArray())];
        double[] y = [.. x.Select(r => r[0] + (0.05 * random.NextDouble()))];
        double[] even = [.. Enumerable.Repeat(1.0, 60)];
        double[] trusting = [10.0, .. Enumerable.Repeat(1.0, 59)];

        RidgeModel fit = RidgeRegression.FitLeaveOneOut(x, y, RidgeRegression.DefaultLambdas, [even, trusting]);

        Assert.Equal(1, fit.ScaleChoice);
        Assert.Equal(0, RidgeRegression.FitLeaveOneOut(x, y, RidgeRegression.DefaultLambdas).ScaleChoice);
        Assert.Throws<ArgumentException>(() => RidgeRegression.FitLeaveOneOut(x, y, [1.0], [[1.0, 2.0]]));
    }

    private static double[][] Standardised(float[][] x)
    {
        int d = x[0].Length;
        double[] mean = [.. Enumerable.Range(0, d).Select(j => x.Average(r => (double)r[j]))];
        double[] std = [.. Enumerable.Range(0, d).Select(j => Math.Sqrt(x.Average(r => Math.Pow(r[j] - mean[j], 2))))];
        return [.. x.Select(r => r.Select((v, j) => (v - mean[j]) / std[j]).ToArray())];
    }

    /// <summary>Normal equations of [1, z] with λ on every weight but the intercept, by Gaussian elimination.</summary>
    private static double[] SolveRidgeWithIntercept(double[][] z, double[] y, double lambda)
    {
        int p = z[0].Length + 1;
        var a = new double[p, p + 1];
        for (int r = 0; r < z.Length; r++)
        {
            double[] row = [1, .. z[r]];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    a[i, j] += row[i] * row[j];
                }

                a[i, p] += row[i] * y[r];
            }
        }

        for (int i = 1; i < p; i++)
        {
            a[i, i] += lambda;
        }

        for (int c = 0; c < p; c++)
        {
            int pivot = Enumerable.Range(c, p - c).MaxBy(r => Math.Abs(a[r, c]));
            for (int k = 0; k <= p; k++)
            {
                (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            }

            for (int r = 0; r < p; r++)
            {
                if (r != c)
                {
                    double f = a[r, c] / a[c, c];
                    for (int k = c; k <= p; k++)
                    {
                        a[r, k] -= f * a[c, k];
                    }
                }
            }
        }

        return [.. Enumerable.Range(0, p).Select(i => a[i, p] / a[i, i])];
    }
}
