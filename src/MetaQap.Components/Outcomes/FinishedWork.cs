using MetaQap.Components.Jobs;

namespace MetaQap.Components.Outcomes;

/// <summary>What a consumer or the expiry sweep hands <see cref="JobOutcomes.FinishAsync"/>.</summary>
public sealed record FinishedWork
{
    /// <summary>Outcomes to store; only images still Pending take them (a duplicate or late one changes nothing).</summary>
    public IReadOnlyList<ImageOutcome> Outcomes { get; init; } = [];

    /// <summary>Outcomes the caller's own write already stored (images that fail when their job is recorded).</summary>
    public IReadOnlyList<StoredOutcome> Recorded { get; init; } = [];

    /// <summary>
    /// Images delivered before or retried: an earlier attempt may have stored their outcomes without publishing them.
    /// </summary>
    public IReadOnlyCollection<(Guid JobId, string ImageId)> Resumed { get; init; } = [];

    /// <summary>Whether the work was delivered before or retried: completions an earlier attempt stored go out too.</summary>
    public bool Redelivered { get; init; }

    /// <summary>Jobs these outcomes may finish.</summary>
    public required IReadOnlyCollection<Guid> Jobs { get; init; }

    /// <summary>Each job's tags, repeated on its events.</summary>
    public required IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, string>> Tags { get; init; }
}
