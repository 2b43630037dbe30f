using System.Text.Json;
using Dapper;
using MetaQap.Contracts;
using Npgsql;

namespace MetaQap.Worker.Jobs;

/// <summary>
/// Jobs and per-image results in PostgreSQL (DESIGN.md §5). Every write is idempotent: recording keys on
/// (job id, image id), results only replace Pending rows, and a job completes once.
/// </summary>
public sealed class JobStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records a job (if new) and the images of one message, in one transaction.</summary>
    public async Task<RecordedImages> RecordAsync(NewJob job, IReadOnlyList<NewImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(images);
        DateTime enqueuedAt = job.EnqueuedAt.UtcDateTime;
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        string? status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(JobSql.UpsertJob, new
        {
            job.JobId,
            job.ExpectedImages,
            job.RequestedModelVersion,
            Tags = JsonSerializer.Serialize(job.Tags),
            EnqueuedAt = enqueuedAt,
        }, transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RecordedImages([], [], JobIsOpen: false);
        }

        string[] imageIds = images.Select(i => i.ImageId).ToArray();
        IEnumerable<string> inserted = await connection.QueryAsync<string>(new CommandDefinition(JobSql.InsertImages, new
        {
            job.JobId,
            ImageIds = imageIds,
            Sources = images.Select(i => i.Source).ToArray(),
            FailureCodes = images.Select(i => i.Failure?.Code.ToString()).ToArray(),
            FailureDetails = images.Select(i => i.Failure?.Detail).ToArray(),
            EnqueuedAt = enqueuedAt,
        }, transaction, cancellationToken: cancellationToken));
        var insertedIds = inserted.ToHashSet(StringComparer.Ordinal);
        IEnumerable<string> pending = await connection.QueryAsync<string>(new CommandDefinition(JobSql.SelectPending,
            new { job.JobId, ImageIds = imageIds }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        List<NewImage> newlyFailed = images.Where(i => i.Failure is not null && insertedIds.Contains(i.ImageId)).ToList();
        return new RecordedImages(pending.ToList(), newlyFailed, JobIsOpen: true);
    }

    /// <summary>
    /// Stores a batch's outcomes in one statement. Returns the outcomes that moved out of Pending now; the others
    /// (duplicates, redeliveries) were already stored and must not be published again.
    /// </summary>
    public async Task<IReadOnlyList<StoredOutcome>> SaveResultsAsync(IReadOnlyList<ImageOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return [];
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<SavedRow> rows = await connection.QueryAsync<SavedRow>(new CommandDefinition(JobSql.SaveResults, new
        {
            JobIds = outcomes.Select(o => o.JobId).ToArray(),
            ImageIds = outcomes.Select(o => o.ImageId).ToArray(),
            Scores = outcomes.Select(o => o.Score?.Score).ToArray(),
            BaseScores = outcomes.Select(o => o.Score is null ? null : JsonSerializer.Serialize(o.Score.BaseScores)).ToArray(),
            Uncertainties = outcomes.Select(o => o.Score?.Uncertainty).ToArray(),
            Distortions = outcomes.Select(o => o.Score is null ? null : JsonSerializer.Serialize(o.Score.Distortions)).ToArray(),
            ModelVersions = outcomes.Select(o => o.ModelVersion).ToArray(),
            FailureCodes = outcomes.Select(o => o.Failure?.Code.ToString()).ToArray(),
            FailureDetails = outcomes.Select(o => o.Failure?.Detail).ToArray(),
        }, cancellationToken: cancellationToken));

        var byKey = new Dictionary<(Guid, string), ImageOutcome>();
        foreach (ImageOutcome outcome in outcomes)
        {
            byKey.TryAdd((outcome.JobId, outcome.ImageId), outcome);
        }

        return rows.Select(r => new StoredOutcome(byKey[(r.JobId, r.ImageId)], Utc(r.EnqueuedAt), Utc(r.FinishedAt))).ToList();
    }

    /// <summary>
    /// Completes those of the given jobs that have every image finished, and returns their summaries. A job is
    /// returned by exactly one call, ever.
    /// </summary>
    public async Task<IReadOnlyList<ScoringJobCompleted>> CompleteFinishedJobsAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0)
        {
            return [];
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<CompletedRow> rows = await connection.QueryAsync<CompletedRow>(new CommandDefinition(JobSql.CompleteJobs,
            new { JobIds = jobIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task<JobStatus?> GetJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        JobRow? row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(JobSql.SelectJob,
            new { JobId = jobId }, cancellationToken: cancellationToken));
        return row?.ToStatus();
    }

    public async Task<IReadOnlyList<ImageResult>> GetResultsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<ImageResult> rows = await connection.QueryAsync<ImageResult>(new CommandDefinition(JobSql.SelectResults,
            new { JobId = jobId }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed class SavedRow
    {
        public Guid JobId { get; init; }

        public string ImageId { get; init; } = "";

        public DateTime EnqueuedAt { get; init; }

        public DateTime FinishedAt { get; init; }
    }

    private sealed class JobRow
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
            FailedImages, ModelVersion, Utc(CreatedAt), CompletedAt is { } c ? Utc(c) : null);
    }

    private sealed class CompletedRow
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

        public ScoringJobCompleted ToEvent() => new()
        {
            JobId = JobId,
            TotalImages = ScoredImages + FailedImages,
            ScoredImages = ScoredImages,
            FailedImages = FailedImages,
            FailuresByCode = FailuresByCode is null
                ? new Dictionary<string, int>()
                : JsonSerializer.Deserialize<Dictionary<string, int>>(FailuresByCode) ?? [],
            Scores = Percentiles is { Length: 5 } p && Mean is { } mean && Min is { } min && Max is { } max
                ? new ScoreDistribution { Mean = mean, Min = min, P10 = p[0], P25 = p[1], Median = p[2], P75 = p[3], P90 = p[4], Max = max }
                : null,
            ModelVersion = ModelVersion,
            CreatedAt = Utc(CreatedAt),
            CompletedAt = Utc(CompletedAt),
            Tags = JsonSerializer.Deserialize<Dictionary<string, string>>(Tags) ?? [],
        };
    }
}
