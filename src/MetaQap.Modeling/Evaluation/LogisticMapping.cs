namespace MetaQap.Modeling.Evaluation;

/// <summary>
/// The VQEG 4-parameter logistic mapping from objective scores to the MOS scale,
/// <c>f(x) = (β1 − β2) / (1 + exp(−(x − β3)/|β4|)) + β2</c>, applied before PLCC so that a monotonic but
/// non-linear relation is not penalised.
/// </summary>
/// <remarks>
/// <see cref="Fit"/> never returns NaN parameters. When Levenberg–Marquardt fails (non-finite parameters, or a
/// fit worse than the least-squares line, which is what a stalled or diverged search looks like), or when either
/// input is constant, the mapping falls back to that line: <see cref="LinearFallback"/> is then set, the β values
/// are the starting guess, and <see cref="Map"/> evaluates the line.
/// </remarks>
public sealed record LogisticMapping(double Beta1, double Beta2, double Beta3, double Beta4)
{
    private const int MaxIterations = 500;

    /// <summary>The least-squares line used instead of the logistic, or null when the logistic fit succeeded.</summary>
    public LinearMapping? LinearFallback { get; init; }

    public bool IsLogistic => LinearFallback is null;

    /// <summary>
    /// Least-squares fit by Levenberg–Marquardt, started (as VQEG and most IQA papers do) from β1 = max MOS,
    /// β2 = min MOS, β3 = mean prediction, β4 = standard deviation of the predictions.
    /// </summary>
    public static LogisticMapping Fit(ReadOnlySpan<double> predicted, ReadOnlySpan<double> mos)
    {
        Correlation.Validate(predicted, mos);
        double meanX = Correlation.Mean(predicted);
        double varX = 0, minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        for (int i = 0; i < predicted.Length; i++)
        {
            varX += (predicted[i] - meanX) * (predicted[i] - meanX);
            minY = Math.Min(minY, mos[i]);
            maxY = Math.Max(maxY, mos[i]);
        }

        double[] start = [maxY, minY, meanX, Math.Sqrt(varX / predicted.Length)];
        LinearMapping line = LinearMapping.Fit(predicted, mos);
        var fallback = new LogisticMapping(start[0], start[1], start[2], start[3]) { LinearFallback = line };
        if (start[3] == 0 || maxY == minY)
        {
            return fallback;
        }

        double[] beta = LevenbergMarquardt.Minimise(predicted, mos, start, MaxIterations);
        double logisticSse = SumOfSquares(predicted, mos, beta);
        double lineSse = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double r = line.Map(predicted[i]) - mos[i];
            lineSse += r * r;
        }

        // The logistic family contains lines in the limit |β4| → ∞, so a converged fit is never worse than the line.
        bool usable = Array.TrueForAll(beta, double.IsFinite) && beta[3] != 0 && double.IsFinite(logisticSse)
            && logisticSse <= lineSse * (1 + 1e-9);
        return usable ? new LogisticMapping(beta[0], beta[1], beta[2], beta[3]) : fallback;
    }

    public double Map(double x) => LinearFallback?.Map(x) ?? Evaluate(x, Beta1, Beta2, Beta3, Beta4);

    internal static double Evaluate(double x, double b1, double b2, double b3, double b4) =>
        ((b1 - b2) * Sigmoid((x - b3) / Math.Abs(b4))) + b2;

    /// <summary>1 / (1 + e^−z) without overflow for large |z|.</summary>
    internal static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    internal static double SumOfSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double[] beta)
    {
        double sse = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = Evaluate(x[i], beta[0], beta[1], beta[2], beta[3]) - y[i];
            sse += r * r;
        }

        return sse;
    }
}
