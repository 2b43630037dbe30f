using MassTransit;
using MetaQap.Components.Messaging;
using MetaQap.Components.Registry;
using MetaQap.Contracts;

namespace MetaQap.Components.Training;

/// <summary>
/// Publishes a finished run's outcome (<see cref="TrainingCompleted"/> or <see cref="TrainingFailed"/>) after it was
/// stored, then marks it published. A crash in between leaves it unmarked, and the next sweep of any training worker
/// publishes it again with the same message id: outcomes are at least once, like the scoring events.
/// </summary>
public sealed class TrainingEvents(TrainingRegistry runs, ModelRegistry models, IBus bus, ILogger<TrainingEvents> logger)
{
    public async Task PublishOutcomeAsync(Guid runId, CancellationToken cancellationToken)
    {
        TrainingRunRecord run = await runs.GetAsync(runId, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} is not in the registry.");
        await PublishOutcomeAsync(run, cancellationToken);
    }

    /// <summary>Every stored outcome not yet published (after a crash, or a broker outage while publishing).</summary>
    public async Task PublishPendingAsync(CancellationToken cancellationToken)
    {
        foreach (TrainingRunRecord run in await runs.UnpublishedOutcomesAsync(cancellationToken))
        {
            try
            {
                await PublishOutcomeAsync(run, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                // One outcome that cannot be described must not keep the others (and the runner) waiting.
                logger.LogError("Training run {RunId}: outcome not published: {Reason}", run.Id, e.Message);
            }
        }
    }

    /// <summary>A command refused before it could be stored (no usable run id): published, never stored.</summary>
    public Task PublishUnstorableAsync(Guid runId, TrainingKind kind, string message, CancellationToken cancellationToken) =>
        bus.Publish(new TrainingFailed { RunId = runId, Kind = kind, Code = TrainingFailureCode.InvalidRequest, Message = message, FailedAt = DateTimeOffset.UtcNow },
            cancellationToken);

    private async Task PublishOutcomeAsync(TrainingRunRecord run, CancellationToken cancellationToken)
    {
        Guid messageId = EventIds.ForTrainingOutcome(run.Id);
        if (run.Status == TrainingRunStatus.Completed)
        {
            (string sha, string? version) = await ArtifactOfAsync(run, cancellationToken);
            await bus.Publish(new TrainingCompleted
            {
                RunId = run.Id,
                Kind = run.Kind,
                ArtifactId = run.Id,
                Sha256 = sha,
                Metrics = run.Metrics,
                Version = version,
                CompletedAt = run.FinishedAt ?? run.UpdatedAt,
            }, context => context.MessageId = messageId, cancellationToken);
        }
        else if (run.IsFinished)
        {
            await bus.Publish(new TrainingFailed
            {
                RunId = run.Id,
                Kind = run.Kind,
                Code = run.FailureCode ?? TrainingFailureCode.TrainingError,
                Message = run.FailureMessage ?? "",
                FailedAt = run.FinishedAt ?? run.UpdatedAt,
            }, context => context.MessageId = messageId, cancellationToken);
        }
        else
        {
            return;
        }

        await runs.MarkOutcomePublishedAsync(run.Id, cancellationToken);
        logger.LogInformation("Training run {RunId} ({Kind}) ended {Status}", run.Id, run.Kind, run.Status);
    }

    private async Task<(string Sha, string? Version)> ArtifactOfAsync(TrainingRunRecord run, CancellationToken cancellationToken)
    {
        if (run.Kind is TrainingKind.FitMeta or TrainingKind.Calibrate)
        {
            EnsembleRecord ensemble = await models.GetEnsembleAsync(run.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Completed run {run.Id} has no ensemble.");
            return (ensemble.ManifestSha256, ensemble.Version);
        }

        ModelArtifactRecord artifact = await models.GetArtifactAsync(run.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Completed run {run.Id} has no artifact.");
        return (artifact.Sha256, null);
    }
}
