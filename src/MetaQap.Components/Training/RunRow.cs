using MetaQap.Components.Registry;
using MetaQap.Contracts;

namespace MetaQap.Components.Training;

/// <summary>A <c>training_runs</c> row as Dapper reads it.</summary>
internal sealed class RunRow
{
    public Guid Id { get; init; }

    public string Kind { get; init; } = "";

    public string Status { get; init; } = "";

    public string Request { get; init; } = "{}";

    public bool CancelRequested { get; init; }

    public string? Owner { get; init; }

    public int Attempts { get; init; }

    public int? Epoch { get; init; }

    public int? Epochs { get; init; }

    public int? Step { get; init; }

    public int? StepsPerEpoch { get; init; }

    public double Progress { get; init; }

    public double? Loss { get; init; }

    public double? ValidationSrocc { get; init; }

    public double? ValidationPlcc { get; init; }

    public string? Metrics { get; init; }

    public string? FailureCode { get; init; }

    public string? FailureMessage { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public TrainingRunRecord ToRecord() => new()
    {
        Id = Id,
        Kind = Enum.Parse<TrainingKind>(Kind),
        Status = Enum.Parse<TrainingRunStatus>(Status),
        Request = Request,
        CancelRequested = CancelRequested,
        Owner = Owner,
        Attempts = Attempts,
        Epoch = Epoch,
        Epochs = Epochs,
        Step = Step,
        StepsPerEpoch = StepsPerEpoch,
        Progress = Progress,
        Loss = Loss,
        ValidationSrocc = ValidationSrocc,
        ValidationPlcc = ValidationPlcc,
        Metrics = RegistryRows.Metrics(Metrics),
        FailureCode = FailureCode is null ? null : Enum.Parse<TrainingFailureCode>(FailureCode),
        FailureMessage = FailureMessage,
        CreatedAt = RegistryRows.Utc(CreatedAt),
        StartedAt = StartedAt is { } s ? RegistryRows.Utc(s) : null,
        UpdatedAt = RegistryRows.Utc(UpdatedAt),
        FinishedAt = FinishedAt is { } f ? RegistryRows.Utc(f) : null,
    };
}
