namespace MetaQap.Contracts;

/// <summary>
/// Event: one image of a job could not be scored. A bad image never fails the rest of its batch; it gets this event
/// once, after the failure is stored.
/// </summary>
public sealed record ImageScoringFailed
{
    public required Guid JobId { get; init; }

    public required string ImageId { get; init; }

    /// <summary>Why, as a stable code (see <see cref="FailureCode"/>).</summary>
    public required FailureCode Code { get; init; }

    /// <summary>A human-readable explanation; its wording may change, the code does not.</summary>
    public required string Detail { get; init; }

    public required DateTimeOffset FailedAt { get; init; }

    /// <summary>The job's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
