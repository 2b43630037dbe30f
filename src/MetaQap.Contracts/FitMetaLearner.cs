namespace MetaQap.Contracts;

/// <summary>
/// Command (queue <c>training-commands</c>): score a MOS dataset's validation fold with each base model, fit the
/// meta-learner on those predictions (stepwise linear regression, F-test entry and removal, |β| ≥ 0.05; or a plain
/// mean) and write an ensemble whose id is <see cref="RunId"/>. It is registered, not active: see
/// <see cref="PromoteEnsemble"/>.
/// </summary>
public sealed record FitMetaLearner
{
    /// <summary>Chosen by the sender; the run's and the ensemble's id. A second command with the same id is ignored.</summary>
    public required Guid RunId { get; init; }

    /// <summary>Base-model artifact ids (completed pretrain or train runs), at least one, no repeats.</summary>
    public required IReadOnlyList<Guid> BaseModels { get; init; }

    /// <summary><c>stepwise</c> (default) or <c>mean</c>.</summary>
    public string? Method { get; init; }

    /// <summary>
    /// The MOS dataset the predictions are made on; required for <c>stepwise</c>. With <c>mean</c> it only gives the
    /// reported metrics.
    /// </summary>
    public TrainingDataSource? Data { get; init; }

    /// <summary>
    /// Which items of <see cref="Data"/> to predict, as <c>k/K</c> content-disjoint folds with <see cref="Seed"/>:
    /// fold k. Default <c>1/5</c>. A base model fine-tuned on the same data with another fold or seed trained on
    /// these images and is refused (its predictions would be in-sample).
    /// </summary>
    public string? Fold { get; init; }

    /// <summary>Seed of the folds (as <see cref="TrainingHyperparameters.Seed"/> of the base runs); default 0.</summary>
    public int? Seed { get; init; }

    /// <summary>The version every score of this ensemble reports; default <c>run-</c> + the first 8 hex digits of the id.</summary>
    public string? Version { get; init; }
}
