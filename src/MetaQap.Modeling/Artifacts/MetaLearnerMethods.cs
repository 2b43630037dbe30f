namespace MetaQap.Modeling.Artifacts;

/// <summary>How a meta-learner's coefficients were obtained; the prediction is the same linear formula for both.</summary>
public static class MetaLearnerMethods
{
    /// <summary>Stepwise least squares on out-of-fold base-model predictions (DESIGN.md §6).</summary>
    public const string StepwiseOls = "stepwise-ols";

    /// <summary>Plain average of the base models (coefficients 1/k, intercept 0), the fallback without held-out data.</summary>
    public const string Mean = "mean";

    internal static bool IsKnown(string method) => method is StepwiseOls or Mean;
}
