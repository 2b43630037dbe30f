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

        RidgeModel model = RidgeRegression.Fit(x, y, [1e-6])[0];

        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(y[i], model.Predict(x[i]), 3);
        }
    }

    [Fact]
    public void Cross_validation_picks_a_large_lambda_for_noise_and_a_small_one_for_signal()
    {
        var random = new Random(5);
        float[][] x = [.. Enumerable.Range(0, 120).Select(_ => Enumerable.Range(0, 40).Select(_ => (float)random.NextDouble()).ToArray())];
        double[] signal = [.. x.Select(r => (double)r[0] - r[1])];
        double[] noise = [.. x.Select(_ => random.NextDouble())];

        RidgeModel fitSignal = RidgeRegression.FitCrossValidated(x, signal, RidgeRegression.DefaultLambdas, 5, seed: 1);
        RidgeModel fitNoise = RidgeRegression.FitCrossValidated(x, noise, RidgeRegression.DefaultLambdas, 5, seed: 1);

        Assert.Equal(RidgeRegression.DefaultLambdas[0], fitSignal.Lambda);
        Assert.True(fitNoise.Lambda >= 1000, $"λ {fitNoise.Lambda}");
    }

    [Fact]
    public void A_constant_column_gets_no_weight()
    {
        float[][] x = [.. Enumerable.Range(0, 20).Select(i => new[] { i, 7f })];
        double[] y = [.. Enumerable.Range(0, 20).Select(i => 3.0 * i)];

        RidgeModel model = RidgeRegression.Fit(x, y, [1e-6])[0];

        Assert.Equal(0, model.Weights[1]);
        Assert.Equal(3, model.Weights[0], 4);
    }
}
