namespace MetaQap.Contracts;

/// <summary>Event: a run finished and registered its artifact. Published at least once (same message id on a repeat).</summary>
public sealed record TrainingCompleted
{
    public required Guid RunId { get; init; }

    public required TrainingKind Kind { get; init; }

    /// <summary>The base-model artifact or ensemble id; equal to <see cref="RunId"/>.</summary>
    public required Guid ArtifactId { get; init; }

    /// <summary>SHA-256 (hex) of the weights file, or of an ensemble's manifest.json.</summary>
    public required string Sha256 { get; init; }

    /// <summary>
    /// Validation metrics: <c>val_srocc</c>, <c>val_plcc</c>, <c>best_epoch</c> for base models; the fit's
    /// <c>srocc</c>, <c>plcc</c>, <c>krocc</c>, <c>rmse</c> (and <c>n</c>) for an ensemble.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>For an ensemble: the version its scores report.</summary>
    public string? Version { get; init; }

    public required DateTimeOffset CompletedAt { get; init; }
}
