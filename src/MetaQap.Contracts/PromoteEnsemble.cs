namespace MetaQap.Contracts;

/// <summary>
/// Command (queue <c>promote-ensemble</c>): make a registered ensemble the active one. Every scoring worker that
/// follows the registry switches to it between two batches, without a restart, and announces it with
/// <see cref="EnsemblePromoted"/>. Promoting the active ensemble again changes nothing.
/// </summary>
public sealed record PromoteEnsemble
{
    /// <summary>The ensemble's id (the <see cref="FitMetaLearner.RunId"/> that made it).</summary>
    public required Guid EnsembleId { get; init; }
}
