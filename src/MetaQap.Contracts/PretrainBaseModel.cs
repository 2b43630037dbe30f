namespace MetaQap.Contracts;

/// <summary>
/// Command (queue <c>training-commands</c>): pretrain one base CNN on the quality-aware corpus (pristine content ×
/// 25 distortions × 5 levels, pseudo-quality labels). The result is a base-model artifact whose id is
/// <see cref="RunId"/>, usable as <see cref="TrainBaseModel.InitialArtifactId"/> or directly in a
/// <see cref="FitMetaLearner"/>.
/// </summary>
public sealed record PretrainBaseModel
{
    /// <summary>Chosen by the sender; the run's and its artifact's id. A second command with the same id is ignored.</summary>
    public required Guid RunId { get; init; }

    /// <summary>A backbone name, e.g. <c>resnet10_w32</c> or <c>mobilenet_v3_small</c> (docs/training.md lists them).</summary>
    public required string Architecture { get; init; }

    /// <summary>Square input side in pixels (≥ 32); null: the architecture's own.</summary>
    public int? InputSize { get; init; }

    /// <summary>Pristine content: synthetic scenes and/or a photo folder; null: 64 synthetic scenes.</summary>
    public TrainingDataSource? Data { get; init; }

    public TrainingHyperparameters? Hyperparameters { get; init; }
}
