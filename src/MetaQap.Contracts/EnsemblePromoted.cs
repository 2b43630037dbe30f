namespace MetaQap.Contracts;

/// <summary>Event: an ensemble became the active one; scoring workers following the registry switch to it.</summary>
public sealed record EnsemblePromoted
{
    public required Guid EnsembleId { get; init; }

    /// <summary>The version its scores report.</summary>
    public required string Version { get; init; }

    /// <summary>The ensemble it replaced; null when none was active.</summary>
    public Guid? PreviousEnsembleId { get; init; }

    public required DateTimeOffset PromotedAt { get; init; }
}
