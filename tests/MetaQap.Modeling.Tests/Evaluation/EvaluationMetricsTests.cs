using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Tests.Evaluation;

public sealed class EvaluationMetricsTests
{
    [Fact]
    public void Compute_combines_every_statistic_on_the_raw_scale()
    {
        double[] x = LogisticMappingTests.Predicted;
        double[] mos = LogisticMappingTests.Mos;

        EvaluationMetrics metrics = EvaluationMetrics.Compute(x, mos);

        Assert.Equal(24, metrics.N);
        // scipy.stats.pearsonr on the raw pairs, from /usr/bin/python3 tools/reference/eval_metrics.py.
        Assert.Equal(0.9695364113303346, metrics.Plcc, 1e-12);
        Assert.Equal(LogisticMappingTests.ScipyMappedPlcc, metrics.PlccLogistic, 1e-9);
        Assert.Equal(Correlation.Srocc(x, mos), metrics.Srocc);
        Assert.Equal(Correlation.Krocc(x, mos), metrics.Krocc);
        Assert.Equal(Correlation.Rmse(x, mos), metrics.Rmse);
    }

    [Fact]
    public void Constant_predictions_give_NaN_correlations_and_a_finite_rmse()
    {
        EvaluationMetrics metrics = EvaluationMetrics.Compute([3.0, 3, 3, 3], [1.0, 2, 4, 5]);

        Assert.True(double.IsNaN(metrics.Plcc));
        Assert.True(double.IsNaN(metrics.PlccLogistic));
        Assert.True(double.IsNaN(metrics.Srocc));
        Assert.True(double.IsNaN(metrics.Krocc));
        Assert.Equal(Math.Sqrt(2.5), metrics.Rmse, 12);
    }

    [Fact]
    public void Mismatched_or_too_short_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => EvaluationMetrics.Compute([1.0, 2, 3, 4], [1.0, 2, 3]));
        Assert.Throws<ArgumentException>(() => EvaluationMetrics.Compute([1.0, 2], [1.0, 2]));
    }
}
