using System.Diagnostics;
using MassTransit;
using MetaQap.Contracts;
using MetaQap.Worker.Jobs;
using MetaQap.Worker.Telemetry;

namespace MetaQap.Worker.Scoring;

/// <summary>
/// Publishes what the job store has just stored, and completes jobs. Called only after the write committed, and
/// only with outcomes that write moved out of Pending, so each image's event goes out once.
/// </summary>
public sealed class JobEvents(JobStore store, WorkerMetrics metrics, ILogger<JobEvents> logger)
{
    public async Task PublishOutcomesAsync(IPublishEndpoint publisher, IReadOnlyList<StoredOutcome> stored,
        Func<Guid, IReadOnlyDictionary<string, string>> tagsOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(tagsOf);
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
                metrics.Failed(failure.Code.ToString());
            }

            metrics.ObserveLatency(s.FinishedAt - s.EnqueuedAt);
        }

        metrics.Scored(scored.Count);
        long started = Stopwatch.GetTimestamp();
        if (scored.Count > 0)
        {
            await publisher.PublishBatch(scored, cancellationToken);
        }

        if (failed.Count > 0)
        {
            await publisher.PublishBatch(failed, cancellationToken);
        }

        metrics.ObserveStage(WorkerMetrics.Stages.Publish, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Completes whichever of these jobs are finished and publishes their summaries (once per job, ever).</summary>
    public async Task CompleteFinishedJobsAsync(IPublishEndpoint publisher, IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        IReadOnlyList<ScoringJobCompleted> completed = await store.CompleteFinishedJobsAsync(jobIds, cancellationToken);
        foreach (ScoringJobCompleted job in completed)
        {
            logger.LogInformation("Job {JobId} completed: {Scored} scored, {Failed} failed", job.JobId, job.ScoredImages, job.FailedImages);
            await publisher.Publish(job, cancellationToken);
        }
    }
}
