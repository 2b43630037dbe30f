using System.Diagnostics;
using MassTransit;
using MetaQap.Components.Jobs;
using MetaQap.Components.Messaging;
using MetaQap.Components.Telemetry;
using MetaQap.Contracts;

namespace MetaQap.Components.Outcomes;

/// <summary>
/// Publishes what the job store has stored, and completes jobs. Outcomes go out after their write committed and are
/// then marked as published; work that comes back after a crash or a failed attempt (a redelivery or a retry)
/// publishes whatever an earlier attempt stored but did not mark. Every event has a stable message id
/// (<see cref="EventIds"/>), so the rare event published twice (a crash between publish and mark) is recognisable.
/// Events go out through the bus, not the consume context: MassTransit tracks a consume context's publishes as part
/// of the delivery, so one failed publish would fault the delivery even after a retry had published everything,
/// and the retry's own publishes would be discarded with it (PublishFailureTests).
/// </summary>
public sealed class JobEvents(JobStore store, WorkerMetrics metrics, IBus bus, ILogger<JobEvents> logger)
{
    /// <summary>Outcomes that a write of this attempt moved out of Pending: counted, published, marked.</summary>
    public async Task PublishOutcomesAsync(IReadOnlyList<StoredOutcome> stored,
        Func<Guid, IReadOnlyDictionary<string, string>> tagsOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        int scored = 0;
        foreach (StoredOutcome s in stored)
        {
            if (s.Outcome.Failure is { } failure)
            {
                metrics.Failed(failure.Code.ToString());
            }
            else
            {
                scored++;
            }

            metrics.ObserveLatency(s.FinishedAt - s.EnqueuedAt);
        }

        metrics.Scored(scored);
        await PublishAndMarkAsync(stored, tagsOf, cancellationToken);
    }

    /// <summary>
    /// After a redelivery or a retry: of these images, the outcomes an earlier attempt stored but did not mark as
    /// published go out now (they were counted by that attempt).
    /// </summary>
    public async Task RepublishOutcomesAsync(IReadOnlyCollection<(Guid JobId, string ImageId)> images,
        Func<Guid, IReadOnlyDictionary<string, string>> tagsOf, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredOutcome> unpublished = await store.GetUnpublishedOutcomesAsync(images, cancellationToken);
        if (unpublished.Count > 0)
        {
            logger.LogInformation("Publishing {Count} outcomes that an interrupted attempt stored but did not publish", unpublished.Count);
            await PublishAndMarkAsync(unpublished, tagsOf, cancellationToken);
        }
    }

    /// <summary>
    /// Completes whichever of these jobs are finished and publishes their summaries (once per job, unless a crash
    /// falls between the publish and its mark). With <paramref name="resumed"/>, also the completions of these jobs
    /// that an interrupted attempt stored but did not publish.
    /// </summary>
    public async Task CompleteFinishedJobsAsync(IReadOnlyCollection<Guid> jobIds, bool resumed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var completed = new List<ScoringJobCompleted>(await store.CompleteFinishedJobsAsync(jobIds, cancellationToken));
        foreach (ScoringJobCompleted job in completed)
        {
            logger.LogInformation("Job {JobId} completed: {Scored} scored, {Failed} failed", job.JobId, job.ScoredImages, job.FailedImages);
        }

        if (resumed)
        {
            Guid[] others = jobIds.Except(completed.Select(c => c.JobId)).ToArray();
            completed.AddRange(await store.GetUnpublishedCompletionsAsync(others, cancellationToken));
        }

        foreach (ScoringJobCompleted job in completed)
        {
            await bus.Publish(job, context => context.MessageId = EventIds.ForCompletion(job.JobId), cancellationToken);
        }

        await store.MarkCompletionsPublishedAsync(completed.Select(c => c.JobId).ToArray(), cancellationToken);
    }

    private async Task PublishAndMarkAsync(IReadOnlyList<StoredOutcome> stored,
        Func<Guid, IReadOnlyDictionary<string, string>> tagsOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tagsOf);
        if (stored.Count == 0)
        {
            return;
        }

        var scored = new List<ImageScored>();
        var failed = new List<ImageScoringFailed>();
        foreach (StoredOutcome s in stored)
        {
            ImageOutcome o = s.Outcome;
            if (o.Score is { } score)
            {
                scored.Add(new ImageScored
                {
                    JobId = o.JobId,
                    ImageId = o.ImageId,
                    Score = score.Score,
                    ModelVersion = o.ModelVersion ?? "",
                    BaseScores = score.BaseScores,
                    Uncertainty = score.Uncertainty,
                    Distortions = score.Distortions.Select(d => new DistortionLikelihood { Type = d.Type, Probability = d.Probability }).ToList(),
                    ScoredAt = s.FinishedAt,
                    Tags = tagsOf(o.JobId),
                });
            }
            else if (o.Failure is { } failure)
            {
                failed.Add(new ImageScoringFailed
                {
                    JobId = o.JobId,
                    ImageId = o.ImageId,
                    Code = failure.Code,
                    Detail = failure.Detail,
                    FailedAt = s.FinishedAt,
                    Tags = tagsOf(o.JobId),
                });
            }
        }

        long started = Stopwatch.GetTimestamp();
        if (scored.Count > 0)
        {
            await bus.PublishBatch(scored, c => c.MessageId = EventIds.ForImage(c.Message.JobId, c.Message.ImageId), cancellationToken);
        }

        if (failed.Count > 0)
        {
            await bus.PublishBatch(failed, c => c.MessageId = EventIds.ForImage(c.Message.JobId, c.Message.ImageId), cancellationToken);
        }

        metrics.ObserveStage(WorkerMetrics.Stages.Publish, Stopwatch.GetElapsedTime(started));
        await store.MarkOutcomesPublishedAsync(stored.Select(s => (s.Outcome.JobId, s.Outcome.ImageId)).ToArray(), cancellationToken);
    }
}
