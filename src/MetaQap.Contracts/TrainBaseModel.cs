namespace MetaQap.Contracts;

/// <summary>
/// Command (queue <c>training-commands</c>): fine-tune one base CNN on a MOS dataset with the quality-aware loss,
/// validating on one content-disjoint fold. The result is a base-model artifact whose id is <see cref="RunId"/>.
/// </summary>
public sealed record TrainBaseModel
{
    /// <summary>Chosen by the sender; the run's and its artifact's id. A second command with the same id is ignored.</summary>
    public required Guid RunId { get; init; }

    /// <summary>A backbone name; must equal the initial artifact's architecture when one is given.</summary>
    public required string Architecture { get; init; }

    /// <summary>Square input side in pixels (≥ 32); null: the initial artifact's, else the architecture's own.</summary>
    public int? InputSize { get; init; }

    /// <summary>The MOS dataset: <see cref="TrainingDataSource.Folder"/> or <see cref="TrainingDataSource.ManifestUri"/>.</summary>
    public required TrainingDataSource Data { get; init; }

    /// <summary>Start from this base-model artifact (typically a pretraining run's); null: random initialisation.</summary>
    public Guid? InitialArtifactId { get; init; }

    /// <summary>
    /// The validation fold as <c>k/K</c>: train on the other K−1 content-disjoint folds (seeded by the seed), validate
    /// on fold k. Default <c>1/5</c>. A <see cref="FitMetaLearner"/> on the same data and fold fits on images this
    /// model never trained on.
    /// </summary>
    public string? Fold { get; init; }

    public TrainingHyperparameters? Hyperparameters { get; init; }
}
