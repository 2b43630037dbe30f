using System.Text.Json;
using Dapper;
using MetaQap.Contracts;
using Npgsql;

namespace MetaQap.Components.Jobs;

/// <summary>
/// Jobs and per-image results in PostgreSQL (DESIGN.md §5). Every write is idempotent: recording keys on
/// (job id, image id), results only replace Pending rows, and a job completes once. Each stored outcome and
/// completion also records when its event went out, so work redelivered after a crash publishes what is missing.
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
            Sources = images.Select(i => StoredText.Clean(i.Source)).ToArray(),
            FailureCodes = images.Select(i => i.Failure?.Code.ToString()).ToArray(),
            FailureDetails = images.Select(i => StoredText.CleanOrNull(i.Failure?.Detail)).ToArray(),
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
    /// (duplicates, redeliveries) were already stored and are not published again by this call.
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
            FailureDetails = outcomes.Select(o => StoredText.CleanOrNull(o.Failure?.Detail)).ToArray(),
        }, cancellationToken: cancellationToken));

        var byKey = new Dictionary<(Guid, string), ImageOutcome>();
        foreach (ImageOutcome outcome in outcomes)
        {
            byKey.TryAdd((outcome.JobId, outcome.ImageId), outcome);
        }

        return rows.Select(r => new StoredOutcome(byKey[(r.JobId, r.ImageId)], JobRows.Utc(r.EnqueuedAt), JobRows.Utc(r.FinishedAt))).ToList();
    }

    /// <summary>Of these images, the stored outcomes whose events are not marked as published, as stored.</summary>
    public async Task<IReadOnlyList<StoredOutcome>> GetUnpublishedOutcomesAsync(IReadOnlyCollection<(Guid JobId, string ImageId)> images,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return [];
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<OutcomeRow> rows = await connection.QueryAsync<OutcomeRow>(new CommandDefinition(JobSql.SelectUnpublishedOutcomes,
            new { JobIds = images.Select(i => i.JobId).ToArray(), ImageIds = images.Select(i => i.ImageId).ToArray() },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStoredOutcome()).ToList();
    }

    /// <summary>Marks these images' outcome events as published (after the broker confirmed them).</summary>
    public async Task MarkOutcomesPublishedAsync(IReadOnlyCollection<(Guid JobId, string ImageId)> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return;
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(JobSql.MarkOutcomesPublished,
            new { JobIds = images.Select(i => i.JobId).ToArray(), ImageIds = images.Select(i => i.ImageId).ToArray() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Completes those of the given jobs that have every image finished, and returns their summaries. A job is
    /// returned by exactly one call, ever.
    /// </summary>
    public Task<IReadOnlyList<ScoringJobCompleted>> CompleteFinishedJobsAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken) =>
        QueryCompletionsAsync(JobSql.CompleteJobs, jobIds, cancellationToken);

    /// <summary>Of these jobs, the completed ones whose completion event is not marked as published.</summary>
    public Task<IReadOnlyList<ScoringJobCompleted>> GetUnpublishedCompletionsAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken) =>
        QueryCompletionsAsync(JobSql.SelectUnpublishedCompletions, jobIds, cancellationToken);

    public async Task MarkCompletionsPublishedAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0)
        {
            return;
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(JobSql.MarkCompletionsPublished, new { JobIds = jobIds.ToArray() },
            cancellationToken: cancellationToken));
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

    /// <summary>Images Pending for longer than <paramref name="olderThan"/>, oldest first, with their job's tags.</summary>
    public async Task<IReadOnlyList<StalePendingImage>> FindStalePendingAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<StaleRow> rows = await connection.QueryAsync<StaleRow>(new CommandDefinition(JobSql.SelectStalePending,
            new { OlderThan = olderThan, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new StalePendingImage(r.JobId, r.ImageId,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.Tags) ?? [])).ToList();
    }

    private async Task<IReadOnlyList<ScoringJobCompleted>> QueryCompletionsAsync(string sql, IReadOnlyCollection<Guid> jobIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0)
        {
            return [];
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<CompletedRow> rows = await connection.QueryAsync<CompletedRow>(new CommandDefinition(sql,
            new { JobIds = jobIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }
}
