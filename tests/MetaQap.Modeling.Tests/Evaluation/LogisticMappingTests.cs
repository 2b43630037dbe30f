using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Tests.Evaluation;

public sealed class LogisticMappingTests
{
    // Data and expected values from  /usr/bin/python3 tools/reference/eval_metrics.py  (scipy 1.10.1):
    // scipy.optimize.curve_fit of (b1-b2)/(1+exp(-(x-b3)/|b4|))+b2 from p0 = [max mos, min mos, mean x, std x],
    // with ftol = xtol = gtol = 1e-15 so that scipy's own stopping error does not dominate the comparison.
    internal static readonly double[] Predicted =
        [0.005, 0.044, 0.16, 0.215, 0.225, 0.255, 0.278, 0.3, 0.303, 0.445, 0.468, 0.505,
         0.553, 0.613, 0.622, 0.625, 0.776, 0.793, 0.797, 0.821, 0.874, 0.897, 0.989, 0.996];

    internal static readonly double[] Mos =
        [1.081, 1.011, 0.52, 1.096, 1.238, 1.344, 0.993, 1.323, 1.208, 1.975, 2.607, 2.427,
         3.017, 3.734, 3.437, 3.577, 4.5, 4.55, 4.241, 4.641, 5.088, 4.403, 5.114, 4.935];

    private const double ScipySse = 1.0300787595564538;
    internal const double ScipyMappedPlcc = 0.9911854549910668;

    [Fact]
    public void Fit_matches_scipy_curve_fit()
    {
        LogisticMapping mapping = LogisticMapping.Fit(Predicted, Mos);

        Assert.True(mapping.IsLogistic);
        Assert.Equal(5.000859656741773, mapping.Beta1, 1e-7);
        Assert.Equal(0.8182981695379409, mapping.Beta2, 1e-7);
        Assert.Equal(0.5433491289428521, mapping.Beta3, 1e-7);
        Assert.Equal(0.11976197804558378, Math.Abs(mapping.Beta4), 1e-7);
        Assert.Equal(2.535177003998816, mapping.Map(0.5), 1e-8);
        Assert.Equal(ScipySse, Sse(mapping, Predicted, Mos), 1e-12);
        Assert.Equal(ScipyMappedPlcc, Correlation.Plcc(MapAll(mapping, Predicted), Mos), 1e-9);
    }

    [Fact]
    public void Fit_is_unaffected_by_rescaling_or_reversing_the_predictions()
    {
        // The logistic family is closed under affine maps of x (negation swaps β1 and β2), so the optimum is too.
        double[] rescaled = Array.ConvertAll(Predicted, v => (-250 * v) + 1000);

        LogisticMapping mapping = LogisticMapping.Fit(rescaled, Mos);

        Assert.True(mapping.IsLogistic);
        Assert.Equal(ScipySse, Sse(mapping, rescaled, Mos), 1e-8);
        Assert.Equal(ScipyMappedPlcc, Correlation.Plcc(MapAll(mapping, rescaled), Mos), 1e-8);
    }

    [Fact]
    public void Constant_predictions_fall_back_to_the_mean_score()
    {
        double[] constant = [2, 2, 2, 2, 2];
        double[] mos = [1, 2, 3, 4, 5];

        LogisticMapping mapping = LogisticMapping.Fit(constant, mos);

        Assert.False(mapping.IsLogistic);
        Assert.Equal(3.0, mapping.Map(2), 12);
        Assert.Equal(3.0, mapping.Map(100), 12);
    }

    [Fact]
    public void Exactly_linear_data_gives_a_finite_mapping_that_reproduces_it()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] mos = Array.ConvertAll(x, v => (0.5 * v) + 1);

        LogisticMapping mapping = LogisticMapping.Fit(x, mos);

        Assert.All(new[] { mapping.Beta1, mapping.Beta2, mapping.Beta3, mapping.Beta4 }, b => Assert.True(double.IsFinite(b)));
        Assert.True(Sse(mapping, x, mos) < 1e-6);
        Assert.Equal(1.0, Correlation.Plcc(MapAll(mapping, x), mos), 6);
    }

    [Fact]
    public void Noisy_large_sample_with_outliers_never_yields_NaN()
    {
        var random = new Random(7);
        const int n = 20_000;
        var x = new double[n];
        var mos = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = random.NextDouble() * 10;
            mos[i] = i % 500 == 0 ? 40 * random.NextDouble() : 1 + (4 / (1 + Math.Exp(-(x[i] - 5)))) + random.NextDouble() - 0.5;
        }

        LogisticMapping mapping = LogisticMapping.Fit(x, mos);
        double plcc = Correlation.Plcc(MapAll(mapping, x), mos);

        Assert.True(double.IsFinite(plcc));
        Assert.True(plcc >= Correlation.Plcc(x, mos) - 1e-9);
    }

    [Fact]
    public void Invalid_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => LogisticMapping.Fit([1.0, 2, 3], [1.0, 2]));
        Assert.Throws<ArgumentException>(() => LogisticMapping.Fit([1.0, 2], [1.0, 2]));
    }

    internal static double[] MapAll(LogisticMapping mapping, double[] x) => Array.ConvertAll(x, mapping.Map);

    private static double Sse(LogisticMapping mapping, double[] x, double[] y)
    {
        double sse = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sse += (mapping.Map(x[i]) - y[i]) * (mapping.Map(x[i]) - y[i]);
        }

        return sse;
    }
}
