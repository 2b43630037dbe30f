using System.Text.Json;
using MetaQap.Contracts;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Components.Jobs;

/// <summary>Helpers for the rows Dapper reads (timestamptz arrives as a UTC DateTime).</summary>
internal static class JobRows
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>
/// A row of <see cref="JobSql.SaveResults"/>: an outcome this write stored (<see cref="Saved"/>; only its key and
/// times are read back), or one an earlier attempt stored but did not publish, with everything its event carries.
/// </summary>
internal sealed class OutcomeRow
{
    public bool Saved { get; init; }

    public Guid JobId { get; init; }

    public string ImageId { get; init; } = "";

    public string Status { get; init; } = "";

    public double? Score { get; init; }

    public string? BaseScores { get; init; }

    public double? Uncertainty { get; init; }

    public string? Distortions { get; init; }

    public string? ModelVersion { get; init; }

    public string? FailureCode { get; init; }

    public string? FailureDetail { get; init; }

    public DateTime EnqueuedAt { get; init; }

    public DateTime FinishedAt { get; init; }

    public StoredOutcome ToStoredOutcome()
    {
        ImageOutcome outcome = Score is { } score
            ? ImageOutcome.Scored(JobId, ImageId, new ImageScore(score,
                JsonSerializer.Deserialize<Dictionary<string, double>>(BaseScores ?? "{}") ?? [],
                Uncertainty ?? 0,
                JsonSerializer.Deserialize<List<DistortionHint>>(Distortions ?? "[]") ?? []), ModelVersion ?? "")
            : ImageOutcome.Failed(JobId, ImageId,
                Enum.TryParse(FailureCode, out Contracts.FailureCode code) ? code : Contracts.FailureCode.InferenceFailed,
                FailureDetail ?? "");
        return new StoredOutcome(outcome, JobRows.Utc(EnqueuedAt), JobRows.Utc(FinishedAt));
    }
}

internal sealed class JobRow
{
    public Guid Id { get; init; }

    public string Status { get; init; } = "";

    public int ExpectedImages { get; init; }

    public int RecordedImages { get; init; }

    public int PendingImages { get; init; }

    public int ScoredImages { get; init; }

    public int FailedImages { get; init; }

    public string? ModelVersion { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? CompletedAt { get; init; }

    public JobStatus ToStatus() => new(Id, Status, ExpectedImages, RecordedImages, PendingImages, ScoredImages,
        FailedImages, ModelVersion, JobRows.Utc(CreatedAt), CompletedAt is { } c ? JobRows.Utc(c) : null);
}

internal sealed class CompletedRow
{
    public Guid JobId { get; init; }

    public int ScoredImages { get; init; }

    public int FailedImages { get; init; }

    public string? ModelVersion { get; init; }

    public string Tags { get; init; } = "{}";

    public DateTime CreatedAt { get; init; }

    public DateTime CompletedAt { get; init; }

    public double? Mean { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public double[]? Percentiles { get; init; }

    public string? FailuresByCode { get; init; }

    public JobSummary ToSummary() => new(
        JobId,
        ScoredImages,
        FailedImages,
        FailuresByCode is null ? new Dictionary<string, int>() : JsonSerializer.Deserialize<Dictionary<string, int>>(FailuresByCode) ?? [],
        Percentiles is { Length: 5 } p && Mean is { } mean && Min is { } min && Max is { } max
            ? new ScoreDistribution { Mean = mean, Min = min, P10 = p[0], P25 = p[1], Median = p[2], P75 = p[3], P90 = p[4], Max = max }
            : null,
        ModelVersion,
        JobRows.Utc(CreatedAt),
        JobRows.Utc(CompletedAt),
        JsonSerializer.Deserialize<Dictionary<string, string>>(Tags) ?? []);
}

internal sealed class StaleRow
{
    public Guid JobId { get; init; }

    public string ImageId { get; init; } = "";

    public string Tags { get; init; } = "{}";
}
