namespace MetaQap.Modeling.Artifacts;

/// <summary>
/// The meta-learner: score = Intercept + Σ Coefficients[i] · score(Predictors[i]), with base-model scores on 0–100.
/// </summary>
public sealed record MetaLearnerEntry
{
    /// <summary>How the coefficients were fitted: <see cref="MetaLearnerMethods.StepwiseOls"/> or <see cref="MetaLearnerMethods.Mean"/>.</summary>
    public required string Method { get; init; }

    /// <summary>Constant term; finite.</summary>
    public required double Intercept { get; init; }

    /// <summary>Names of the base models the meta-learner uses (at least one, distinct, each in the manifest's list).</summary>
    public required IReadOnlyList<string> Predictors { get; init; }

    /// <summary>One finite coefficient per predictor, in the same order.</summary>
    public required IReadOnlyList<double> Coefficients { get; init; }
}
