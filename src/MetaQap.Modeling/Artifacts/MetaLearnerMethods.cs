namespace MetaQap.Modeling.Artifacts;

/// <summary>How a meta-learner's coefficients were obtained; the prediction is the same linear formula for both.</summary>
public static class MetaLearnerMethods
{
    /// <summary>Stepwise least squares on out-of-fold base-model predictions (DESIGN.md §6).</summary>
    public const string StepwiseOls = "stepwise-ols";

    /// <summary>Plain average of the base models (coefficients 1/k, intercept 0), the fallback without held-out data.</summary>
    public const string Mean = "mean";

    /// <summary>
    /// A user's calibration (<c>metaqap calibrate</c>): one ridge regression of their MOS on a frozen-trunk head and the
    /// calibrated ensemble's base scores, so the coefficients are ridge weights, not a stepwise selection.
    /// </summary>
    public const string CalibratedRidge = "calibrated-ridge";

    internal static bool IsKnown(string method) => method is StepwiseOls or Mean or CalibratedRidge;
}
