using MetaQap.Contracts;

namespace MetaQap.Components.Training;

/// <summary>A run's state in <c>training_runs</c>.</summary>
public enum TrainingRunStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>One row of <c>training_runs</c>, as <c>metaqap runs</c> and the runner see it.</summary>
public sealed record TrainingRunRecord
{
    public required Guid Id { get; init; }

    public required TrainingKind Kind { get; init; }

    public required TrainingRunStatus Status { get; init; }

    /// <summary>The command as received (JSON).</summary>
    public required string Request { get; init; }

    public bool CancelRequested { get; init; }

    public string? Owner { get; init; }

    /// <summary>How often a worker claimed it; above 1 means it was resumed after an interruption.</summary>
    public int Attempts { get; init; }

    public int? Epoch { get; init; }

    public int? Epochs { get; init; }

    public int? Step { get; init; }

    public int? StepsPerEpoch { get; init; }

    public double Progress { get; init; }

    public double? Loss { get; init; }

    public double? ValidationSrocc { get; init; }

    public double? ValidationPlcc { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public TrainingFailureCode? FailureCode { get; init; }

    public string? FailureMessage { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsFinished => Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled;
}

/// <summary>Where a run stands, written at most every progress interval and at every epoch's end.</summary>
public sealed record RunProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Progress, double? Loss,
    double? ValidationSrocc, double? ValidationPlcc);

/// <summary>What a lease renewal found.</summary>
/// <param name="Owned">False when the claim was lost (another worker took the run over): stop without writing.</param>
/// <param name="CancelRequested">A <c>CancelTrainingRun</c> arrived.</param>
public sealed record LeaseState(bool Owned, bool CancelRequested);

/// <summary>What a cancel request did.</summary>
public enum CancelResult
{
    /// <summary>No such run.</summary>
    NotFound,

    /// <summary>The run was queued and is now Cancelled: nobody else will report it.</summary>
    CancelledQueued,

    /// <summary>The run is running; its worker stops it within a lease renewal.</summary>
    Requested,

    /// <summary>The run had already finished; nothing changed.</summary>
    AlreadyFinished,
}
