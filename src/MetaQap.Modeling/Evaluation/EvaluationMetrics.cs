namespace MetaQap.Modeling.Evaluation;

/// <summary>
/// The standard IQA agreement figures for one test set. <see cref="Rmse"/> is raw, on the shared score scale
/// (predictions and MOS are expected on the same scale); <see cref="PlccLogistic"/> is PLCC after the
/// 4-parameter logistic mapping of <see cref="LogisticMapping"/>. Correlations are NaN for constant inputs
/// (see <see cref="Correlation"/>).
/// </summary>
public sealed record EvaluationMetrics(int N, double Plcc, double PlccLogistic, double Srocc, double Krocc, double Rmse)
{
    public static EvaluationMetrics Compute(IReadOnlyList<double> predicted, IReadOnlyList<double> mos)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(mos);
        double[] x = [.. predicted];
        double[] y = [.. mos];
        Correlation.Validate(x, y);

        LogisticMapping mapping = LogisticMapping.Fit(x, y);
        var mapped = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            mapped[i] = mapping.Map(x[i]);
        }

        return new EvaluationMetrics(
            x.Length,
            Correlation.Plcc(x, y),
            Correlation.Plcc(mapped, y),
            Correlation.Srocc(x, y),
            Correlation.Krocc(x, y),
            Correlation.Rmse(x, y));
    }
}
