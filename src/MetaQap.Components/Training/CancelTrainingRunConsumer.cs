using MassTransit;
using MetaQap.Contracts;

namespace MetaQap.Components.Training;

/// <summary>
/// <see cref="CancelTrainingRun"/>: a queued run is cancelled here and now; a running one is flagged, and its worker
/// stops it at the next lease renewal, deletes its checkpoints and publishes the outcome.
/// </summary>
public sealed class CancelTrainingRunConsumer(TrainingRegistry runs, TrainingEvents events, ILogger<CancelTrainingRunConsumer> logger)
    : IConsumer<CancelTrainingRun>
{
    public async Task Consume(ConsumeContext<CancelTrainingRun> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Guid runId = context.Message.RunId;
        CancelResult result = await runs.RequestCancelAsync(runId, context.CancellationToken);
        logger.LogInformation("Cancel of training run {RunId}: {Result}", runId, result);
        if (result == CancelResult.CancelledQueued)
        {
            await events.PublishOutcomeAsync(runId, context.CancellationToken);
        }
    }
}
