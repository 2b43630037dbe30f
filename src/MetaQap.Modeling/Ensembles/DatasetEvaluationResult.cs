using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// Scores of a dataset and their agreement with MOS. Predicted and MOS are both on the 0–100 score scale
/// (MOS = 100 × the dataset's [0, 1] MOS), so RMSE is in score points. <see cref="BaseModels"/> holds the same
/// metrics for each base model's own score, by name, in the ensemble's order: what each member contributes.
/// </summary>
public sealed record DatasetEvaluationResult(
    IReadOnlyList<string> ImageIds,
    IReadOnlyList<double> Predicted,
    IReadOnlyList<double> Mos,
    IReadOnlyList<EvaluationFailure> Failures,
    EvaluationMetrics Metrics,
    IReadOnlyList<KeyValuePair<string, EvaluationMetrics>> BaseModels);
