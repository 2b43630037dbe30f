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
    /// Validation metrics: <c>val_srocc</c>, <c>val_plcc</c>, <c>best_epoch</c> (1-based) for base models; for an
    /// ensemble, the meta-learner's agreement with the MOS of the held-out fold it was fitted on: <c>oof_srocc</c>,
    /// <c>oof_plcc</c>, <c>oof_plcc_logistic</c>, <c>oof_krocc</c>, <c>oof_rmse</c> (none without data).
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>For an ensemble: the version its scores report.</summary>
    public string? Version { get; init; }

    public required DateTimeOffset CompletedAt { get; init; }
}
