namespace MetaQap.Contracts;

/// <summary>
/// Event: a run moved on. Published at most every few seconds (<c>MetaQap:Training:ProgressInterval</c>) and at the
/// end of every epoch, which is when the validation metrics are set. A fit-meta run reports one "epoch" per base
/// model scored.
/// </summary>
public sealed record TrainingProgressed
{
    public required Guid RunId { get; init; }

    public required TrainingKind Kind { get; init; }

    /// <summary>1-based epoch.</summary>
    public required int Epoch { get; init; }

    public required int Epochs { get; init; }

    /// <summary>Steps done in this epoch.</summary>
    public required int Step { get; init; }

    public required int StepsPerEpoch { get; init; }

    /// <summary>Mean training loss of the epoch so far; null for fit-meta.</summary>
    public double? Loss { get; init; }

    /// <summary>Validation PLCC after this epoch; null in the middle of an epoch.</summary>
    public double? ValidationPlcc { get; init; }

    /// <summary>Validation SROCC after this epoch; null in the middle of an epoch.</summary>
    public double? ValidationSrocc { get; init; }

    /// <summary>Fraction of the planned steps done, 0–1 (early stopping can end a run below 1).</summary>
    public required double Progress { get; init; }

    /// <summary>Estimated time to the last epoch; null before the first step.</summary>
    public TimeSpan? Eta { get; init; }

    public required DateTimeOffset At { get; init; }
}
