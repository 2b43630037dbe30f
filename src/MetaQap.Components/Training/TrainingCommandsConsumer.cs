using System.Text.Json;
using MassTransit;
using MetaQap.Contracts;

namespace MetaQap.Components.Training;

/// <summary>
/// Receives the four training commands and only records them: the command is planned at once (so a bad request
/// fails within a second with <see cref="TrainingFailed"/>), stored as a Queued run, and the local runner is woken.
/// The delivery is acknowledged right away; the training itself happens in <see cref="TrainingRunner"/>. A run id
/// seen before is ignored, so a redelivered command never starts a second run.
/// </summary>
public sealed class TrainingCommandsConsumer(TrainingRegistry runs, TrainingPlanner planner, CalibrationPlanner calibration, TrainingEvents events,
    TrainingRunner runner, ILogger<TrainingCommandsConsumer> logger)
    : IConsumer<PretrainBaseModel>, IConsumer<TrainBaseModel>, IConsumer<FitMetaLearner>, IConsumer<CalibrateEnsemble>
{
    public Task Consume(ConsumeContext<PretrainBaseModel> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ReceiveAsync(context.Message.RunId, TrainingKind.Pretrain, context.Message, _ => Task.FromResult<object>(planner.Plan(context.Message)),
            context.CancellationToken);
    }

    public Task Consume(ConsumeContext<TrainBaseModel> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ReceiveAsync(context.Message.RunId, TrainingKind.Train, context.Message, async ct => await planner.PlanAsync(context.Message, ct),
            context.CancellationToken);
    }

    public Task Consume(ConsumeContext<FitMetaLearner> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ReceiveAsync(context.Message.RunId, TrainingKind.FitMeta, context.Message, async ct => await planner.PlanAsync(context.Message, ct),
            context.CancellationToken);
    }

    public Task Consume(ConsumeContext<CalibrateEnsemble> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ReceiveAsync(context.Message.RunId, TrainingKind.Calibrate, context.Message, async ct => await calibration.PlanAsync(context.Message, ct),
            context.CancellationToken);
    }

    private async Task ReceiveAsync<T>(Guid runId, TrainingKind kind, T command, Func<CancellationToken, Task<object>> plan,
        CancellationToken cancellationToken)
    {
        if (runId == Guid.Empty)
        {
            logger.LogWarning("A {Kind} command without a run id was refused", kind);
            await events.PublishUnstorableAsync(runId, kind, "RunId is missing (an all-zero GUID).", cancellationToken);
            return;
        }

        if (await runs.GetAsync(runId, cancellationToken) is { } existing)
        {
            logger.LogInformation("Training run {RunId} is already known ({Status}); the command is ignored", runId, existing.Status);
            return;
        }

        string request = JsonSerializer.Serialize(command, TrainingJsonOptions.Web);
        try
        {
            await plan(cancellationToken);
        }
        catch (TrainingRequestException e)
        {
            logger.LogWarning("Training run {RunId} ({Kind}) refused: {Code}: {Reason}", runId, kind, e.Code, e.Message);
            if (await runs.CreateFailedAsync(runId, kind, request, e.Code, e.Message, cancellationToken))
            {
                await events.PublishOutcomeAsync(runId, cancellationToken);
            }

            return;
        }

        if (await runs.CreateAsync(runId, kind, request, cancellationToken))
        {
            logger.LogInformation("Training run {RunId} ({Kind}) queued", runId, kind);
            runner.Wake();
        }
    }
}
