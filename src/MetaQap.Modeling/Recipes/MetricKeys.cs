using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>Manifest metric names: a prefix plus plcc, plcc_logistic, srocc, krocc, rmse; undefined (NaN) figures are left out.</summary>
internal static class MetricKeys
{
    public static void Add(IDictionary<string, double> metrics, string prefix, EvaluationMetrics values)
    {
        Add(metrics, prefix + "plcc", values.Plcc);
        Add(metrics, prefix + "plcc_logistic", values.PlccLogistic);
        Add(metrics, prefix + "srocc", values.Srocc);
        Add(metrics, prefix + "krocc", values.Krocc);
        Add(metrics, prefix + "rmse", values.Rmse);
    }

    /// <summary>Mean and standard deviation over folds: <c>{prefix}plcc</c>, <c>{prefix}plcc_std</c>, …</summary>
    public static void Add(IDictionary<string, double> metrics, string prefix, EnsembleCrossValidation cv)
    {
        foreach ((string name, MeanStd value) in new[] { ("plcc", cv.Plcc), ("srocc", cv.Srocc), ("krocc", cv.Krocc), ("rmse", cv.Rmse) })
        {
            Add(metrics, prefix + name, value.Mean);
            Add(metrics, prefix + name + "_std", value.Std);
        }
    }

    private static void Add(IDictionary<string, double> metrics, string key, double value)
    {
        if (double.IsFinite(value))
        {
            metrics[key] = value;
        }
    }
}
