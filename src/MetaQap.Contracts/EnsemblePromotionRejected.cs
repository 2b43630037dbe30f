namespace MetaQap.Contracts;

/// <summary>
/// Event: a <see cref="PromoteEnsemble"/> was refused (<see cref="TrainingFailureCode.UnknownEnsemble"/> or
/// <see cref="TrainingFailureCode.ArtifactCorrupt"/>); the active ensemble did not change.
/// </summary>
public sealed record EnsemblePromotionRejected
{
    public required Guid EnsembleId { get; init; }

    public required TrainingFailureCode Code { get; init; }

    public required string Message { get; init; }

    public required DateTimeOffset At { get; init; }
}
