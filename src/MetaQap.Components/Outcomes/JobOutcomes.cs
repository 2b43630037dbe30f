using System.Diagnostics;
using MassTransit;
using MetaQap.Components.Jobs;
using MetaQap.Components.Messaging;
using MetaQap.Components.Telemetry;
using MetaQap.Contracts;

namespace MetaQap.Components.Outcomes;

/// <summary>
/// The one outcome path: stores outcomes, publishes their events, marks them as published and completes the jobs
/// they finish, for the new-job consumer, the batch consumer and the pending-expiry sweep alike
/// (<see cref="FinishAsync"/>). Events go out only after their write committed, and are marked after the broker took
/// them; work that comes back after a crash or a failed attempt (<see cref="FinishedWork.Resumed"/>) publishes whatever
/// an earlier attempt stored but did not mark. Every event has a stable message id (<see cref="EventIds"/>), so the
/// rare event published twice (a crash between publish and mark) is recognisable.
/// Database round trips: one to store (with the look-up of what an earlier attempt left unpublished), one to mark
/// and complete, and one more only when a job completed (to mark its completion event).
/// Events go out through the bus, not the consume context: MassTransit tracks a consume context's publishes as part
/// of the delivery, so one failed publish would fault the delivery even after a retry had published everything,
/// and the retry's own publishes would be discarded with it (PublishFailureTests).
/// </summary>
public sealed class JobOutcomes(JobStore store, WorkerMetrics metrics, IBus bus, ILogger<JobOutcomes> logger)
{
    /// <summary>Finishes <paramref name="work"/>; returns how many of its <see cref="FinishedWork.Outcomes"/> this call stored.</summary>
    public async Task<int> FinishAsync(FinishedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        long started = Stopwatch.GetTimestamp();
        SavedOutcomes saved = await store.SaveResultsAsync(work.Outcomes, work.Resumed, cancellationToken);
        if (work.Outcomes.Count > 0)
        {
            metrics.ObserveStage(WorkerMetrics.Stages.Persist, Stopwatch.GetElapsedTime(started));
        }

        // Counted once, by the attempt that stored them; an earlier attempt's leftovers were counted by it.
        List<StoredOutcome> fresh = [.. work.Recorded, .. saved.Stored];
        Count(fresh);
        // What the caller's own write recorded is not yet marked either: it is fresh, not a leftover.
        HashSet<(Guid, string)> freshKeys = [.. fresh.Select(s => (s.Outcome.JobId, s.Outcome.ImageId))];
        List<StoredOutcome> leftovers = [.. saved.Unpublished
            .Where(s => !freshKeys.Contains((s.Outcome.JobId, s.Outcome.ImageId)))
            .DistinctBy(s => (s.Outcome.JobId, s.Outcome.ImageId))];
        if (leftovers.Count > 0)
        {
            logger.LogInformation("Publishing {Count} outcomes that an interrupted attempt stored but did not publish", leftovers.Count);
        }

        List<StoredOutcome> toPublish = [.. fresh, .. leftovers];
        await PublishAsync(toPublish, work.Tags, cancellationToken);

        CompletedJobs completions = await store.MarkPublishedAndCompleteAsync(
            toPublish.Select(s => (s.Outcome.JobId, s.Outcome.ImageId)).ToArray(), work.Jobs, work.Redelivered, cancellationToken);
        foreach (JobSummary job in completions.Completed)
        {
            logger.LogInformation("Job {JobId} completed: {Scored} scored, {Failed} failed", job.JobId, job.ScoredImages, job.FailedImages);
        }

        List<JobSummary> completed = [.. completions.Completed, .. completions.Unpublished];
        foreach (JobSummary job in completed)
        {
            await bus.Publish(OutcomeEvents.Completion(job), context => context.MessageId = EventIds.ForCompletion(job.JobId), cancellationToken);
        }

        await store.MarkCompletionsPublishedAsync(completed.Select(c => c.JobId).ToArray(), cancellationToken);
        return saved.Stored.Count;
    }

    private void Count(IReadOnlyList<StoredOutcome> stored)
    {
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
    }

    private async Task PublishAsync(IReadOnlyList<StoredOutcome> stored, IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, string>> tags,
        CancellationToken cancellationToken)
    {
        if (stored.Count == 0)
        {
            return;
        }

        var scored = new List<ImageScored>();
        var failed = new List<ImageScoringFailed>();
        foreach (StoredOutcome s in stored)
        {
            IReadOnlyDictionary<string, string> jobTags = tags.TryGetValue(s.Outcome.JobId, out var t) ? t : new Dictionary<string, string>();
            switch (OutcomeEvents.ForImage(s, jobTags))
            {
                case ImageScored e:
                    scored.Add(e);
                    break;
                case ImageScoringFailed e:
                    failed.Add(e);
                    break;
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
    }
}
