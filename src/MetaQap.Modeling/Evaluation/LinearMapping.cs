namespace MetaQap.Modeling.Evaluation;

/// <summary>Least-squares line <c>mos ≈ Intercept + Slope·x</c>; the fallback of <see cref="LogisticMapping"/>.</summary>
public sealed record LinearMapping(double Intercept, double Slope)
{
    /// <summary>Ordinary least squares; a constant predictor gives slope 0 and the mean MOS (never NaN).</summary>
    public static LinearMapping Fit(ReadOnlySpan<double> predicted, ReadOnlySpan<double> mos)
    {
        Correlation.Validate(predicted, mos);
        double meanX = Correlation.Mean(predicted);
        double meanY = Correlation.Mean(mos);
        double sxy = 0, sxx = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double dx = predicted[i] - meanX;
            sxy += dx * (mos[i] - meanY);
            sxx += dx * dx;
        }

        double slope = sxx > 0 ? sxy / sxx : 0.0;
        return new LinearMapping(meanY - (slope * meanX), slope);
    }

    public double Map(double x) => Intercept + (Slope * x);
}
