namespace MetaQap.Contracts;

/// <summary>
/// Command (queue <c>cancel-training-run</c>): stop a queued or running run. It ends with
/// <see cref="TrainingFailed"/> (<see cref="TrainingFailureCode.Cancelled"/>), its checkpoints are deleted and it
/// registers no artifact. A finished run is not changed.
/// </summary>
public sealed record CancelTrainingRun
{
    public required Guid RunId { get; init; }
}
