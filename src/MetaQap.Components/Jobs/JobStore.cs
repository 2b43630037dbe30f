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

    /// <summary>Stores outcomes in one statement; returns those that moved out of Pending now (see the overload).</summary>
    public async Task<IReadOnlyList<StoredOutcome>> SaveResultsAsync(IReadOnlyList<ImageOutcome> outcomes, CancellationToken cancellationToken) =>
        (await SaveResultsAsync(outcomes, [], cancellationToken)).Stored;

    /// <summary>
    /// Stores a batch's outcomes and, in the same statement (one round trip), reads back what earlier attempts at
    /// <paramref name="resumed"/> images stored but did not mark as published. Only Pending rows change: the outcomes
    /// of images stored before (duplicates, redeliveries) are not in <see cref="SavedOutcomes.Stored"/>.
    /// </summary>
    public async Task<SavedOutcomes> SaveResultsAsync(IReadOnlyList<ImageOutcome> outcomes,
        IReadOnlyCollection<(Guid JobId, string ImageId)> resumed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(resumed);
        if (outcomes.Count == 0 && resumed.Count == 0)
        {
            return new SavedOutcomes([], []);
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<OutcomeRow> rows = await connection.QueryAsync<OutcomeRow>(new CommandDefinition(JobSql.SaveResults, new
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
            ResumedJobIds = resumed.Select(r => r.JobId).ToArray(),
            ResumedImageIds = resumed.Select(r => r.ImageId).ToArray(),
        }, cancellationToken: cancellationToken));

        var byKey = new Dictionary<(Guid, string), ImageOutcome>();
        foreach (ImageOutcome outcome in outcomes)
        {
            byKey.TryAdd((outcome.JobId, outcome.ImageId), outcome);
        }

        var stored = new List<StoredOutcome>();
        var unpublished = new List<StoredOutcome>();
        foreach (OutcomeRow row in rows)
        {
            if (row.Saved)
            {
                stored.Add(new StoredOutcome(byKey[(row.JobId, row.ImageId)], JobRows.Utc(row.EnqueuedAt), JobRows.Utc(row.FinishedAt)));
            }
            else
            {
                unpublished.Add(row.ToStoredOutcome());
            }
        }

        return new SavedOutcomes(stored, unpublished);
    }

    /// <summary>
    /// After their events went out: marks these outcomes as published and completes those of the given jobs that
    /// have every image finished, in one round trip. With <paramref name="findUnpublished"/> (a redelivery or a
    /// retry), also returns the other completed jobs among them whose completion event is not marked as published.
    /// </summary>
    public async Task<CompletedJobs> MarkPublishedAndCompleteAsync(IReadOnlyCollection<(Guid JobId, string ImageId)> published,
        IReadOnlyCollection<Guid> jobIds, bool findUnpublished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0 && published.Count == 0)
        {
            return new CompletedJobs([], []);
        }

        string sql = findUnpublished ? JobSql.MarkPublishedCompleteJobsAndFindUnpublished : JobSql.MarkPublishedAndCompleteJobs;
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using SqlMapper.GridReader results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new
            {
                OutcomeJobIds = published.Select(p => p.JobId).ToArray(),
                OutcomeImageIds = published.Select(p => p.ImageId).ToArray(),
                JobIds = jobIds.ToArray(),
            }, cancellationToken: cancellationToken));
        List<JobSummary> completed = (await results.ReadAsync<CompletedRow>()).Select(r => r.ToSummary()).ToList();
        if (!findUnpublished)
        {
            return new CompletedJobs(completed, []);
        }

        // The second statement sees the first's completions (one transaction): those are not "unpublished from before".
        HashSet<Guid> now = completed.Select(c => c.JobId).ToHashSet();
        List<JobSummary> unpublished = (await results.ReadAsync<CompletedRow>()).Select(r => r.ToSummary())
            .Where(s => !now.Contains(s.JobId)).ToList();
        return new CompletedJobs(completed, unpublished);
    }

    /// <summary>
    /// Completes those of the given jobs that have every image finished, and returns their summaries. A job is
    /// returned by exactly one call, ever.
    /// </summary>
    public async Task<IReadOnlyList<JobSummary>> CompleteFinishedJobsAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken) =>
        (await MarkPublishedAndCompleteAsync([], jobIds, findUnpublished: false, cancellationToken)).Completed;

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
}
