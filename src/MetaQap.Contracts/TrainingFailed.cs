namespace MetaQap.Contracts;

/// <summary>Event: a run ended without an artifact (a bad request, an error or a cancellation). Published at least once.</summary>
public sealed record TrainingFailed
{
    public required Guid RunId { get; init; }

    /// <summary>Null only when the command itself could not be read far enough to know its kind.</summary>
    public TrainingKind? Kind { get; init; }

    public required TrainingFailureCode Code { get; init; }

    /// <summary>What went wrong, in a sentence that names the field or file at fault.</summary>
    public required string Message { get; init; }

    public required DateTimeOffset FailedAt { get; init; }
}
