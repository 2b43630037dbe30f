using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// A finished fold unit: the model fine-tuned on the other folds, scored on this fold's held-out items exactly as
/// the ensemble scores (0–100), and the training's best epoch (0-based) by validation SROCC.
/// </summary>
public sealed record FoldOutcome(
    int Fold,
    int BestEpoch,
    double BestValidationSrocc,
    bool StoppedEarly,
    int EpochsRun,
    IReadOnlyList<string> ImageIds,
    IReadOnlyList<double> Predicted,
    IReadOnlyList<double> Mos,
    EvaluationMetrics Metrics);
