using System.Text.Json;
using MassTransit;
using MetaQap.Components.Registry;
using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Training;

/// <summary>
/// The training role's engine: one run at a time per worker, on a dedicated thread outside any message consumer (so
/// a long training never holds a delivery, blocks heartbeats or meets a consumer timeout). Runs are claimed from the
/// registry with a lease renewed every <see cref="TrainingRoleOptions.LeaseRenewal"/>; a renewal also notices a
/// cancel request. A worker that stops gracefully hands its run back at once; one that is killed lets the lease lapse,
/// and whichever worker claims the run next resumes it from its last checkpoint.
/// </summary>
public sealed class TrainingRunner(TrainingRegistry runs, TrainingPlanner planner, CalibrationPlanner calibration, TrainingExecutor executor,
    TrainingEvents events, TrainingMetrics metrics, IBus bus, IOptions<TrainingRoleOptions> options, ILogger<TrainingRunner> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Identifies this process's claims in the registry (host, process id and a per-start nonce).</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A new run was queued: look now rather than at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task counting = CountRunsAsync(stoppingToken);
        await ClaimAndRunAsync(stoppingToken);
        await counting;
    }

    private async Task ClaimAndRunAsync(CancellationToken stoppingToken)
    {
        TrainingRoleOptions settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await events.PublishPendingAsync(stoppingToken);
                foreach (Guid abandoned in await runs.CancelAbandonedAsync(stoppingToken))
                {
                    executor.DeleteOutputs(abandoned);
                }

                if (await runs.ClaimNextAsync(Owner, settings.LeaseDuration, stoppingToken) is { } run)
                {
                    await RunAsync(run, stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database or broker is away: say so and try again at the next poll.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Training runner: {Reason}; retrying in {Interval}", e.Message, settings.PollInterval);
            }

            try
            {
                await _wake.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Keeps <c>metaqap_training_runs{state}</c> current, also while a long run is training.</summary>
    private async Task CountRunsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.SetRunCounts(await runs.CountByStatusAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database is away: the gauge keeps its last value until it is back.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogDebug("Run counts not refreshed: {Reason}", e.Message);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunAsync(TrainingRunRecord run, CancellationToken stoppingToken)
    {
        logger.LogInformation("Training run {RunId} ({Kind}) claimed, attempt {Attempt}", run.Id, run.Kind, run.Attempts);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var lease = new LeaseWatch();
        Task heartbeat = RenewLeaseAsync(run.Id, lease, stop);
        try
        {
            TrainingPlan plan = await PlanAsync(run, stop.Token);
            object result;
            await using (var progress = new RunProgressReporter(run, Owner, runs, bus, metrics, options.Value.ProgressInterval, logger))
            {
                result = await Task.Factory.StartNew(() => executor.Execute(plan, progress, stop.Token), stop.Token,
                    TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            await stop.CancelAsync();
            await heartbeat;
            bool registered = result switch
            {
                ModelArtifactRecord artifact => await runs.CompleteWithArtifactAsync(Owner, artifact, CancellationToken.None),
                EnsembleRecord ensemble => await runs.CompleteWithEnsembleAsync(Owner, ensemble, CancellationToken.None),
                _ => throw new InvalidOperationException($"Unknown training result {result.GetType().Name}."),
            };
            if (!registered)
            {
                logger.LogWarning("Training run {RunId} finished, but this worker no longer holds it; not registered", run.Id);
                return;
            }

            executor.DeleteRunFolder(run.Id);
            await events.PublishOutcomeAsync(run.Id, CancellationToken.None);
        }
        catch (OperationCanceledException) when (lease.CancelRequested)
        {
            await EndAsync(run.Id, TrainingFailureCode.Cancelled, TrainingRegistry.CancelledMessage, deleteOutputs: true);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await runs.ReleaseAsync(run.Id, Owner, CancellationToken.None);
            logger.LogInformation("Training run {RunId} handed back at shutdown; it resumes from its last checkpoint", run.Id);
        }
        catch (OperationCanceledException) when (lease.Lost)
        {
            logger.LogWarning("Training run {RunId}: the claim lapsed and another worker took it over; stopped here", run.Id);
        }
        catch (TrainingRequestException e)
        {
            await EndAsync(run.Id, e.Code, e.Message, deleteOutputs: true);
        }
#pragma warning disable CA1031 // Whatever training throws (libtorch, a non-finite loss, a full disk) ends this run, not the worker.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Training run {RunId} failed", run.Id);
            await EndAsync(run.Id, TrainingFailureCode.TrainingError, e.Message, deleteOutputs: false);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }
    }

    private async Task EndAsync(Guid runId, TrainingFailureCode code, string message, bool deleteOutputs)
    {
        if (await runs.FailAsync(runId, Owner, code, message, CancellationToken.None))
        {
            if (deleteOutputs)
            {
                executor.DeleteOutputs(runId);
            }

            await events.PublishOutcomeAsync(runId, CancellationToken.None);
        }
    }

    /// <summary>The stored command, planned again: data may have changed or vanished since it was received.</summary>
    private async Task<TrainingPlan> PlanAsync(TrainingRunRecord run, CancellationToken cancellationToken) => run.Kind switch
    {
        TrainingKind.Pretrain => planner.Plan(Request<PretrainBaseModel>(run)),
        TrainingKind.Train => await planner.PlanAsync(Request<TrainBaseModel>(run), cancellationToken),
        TrainingKind.FitMeta => await planner.PlanAsync(Request<FitMetaLearner>(run), cancellationToken),
        TrainingKind.Calibrate => await calibration.PlanAsync(Request<CalibrateEnsemble>(run), cancellationToken),
        _ => throw new TrainingRequestException(TrainingFailureCode.InvalidRequest, $"Unknown run kind {run.Kind}."),
    };

    private static T Request<T>(TrainingRunRecord run) =>
        JsonSerializer.Deserialize<T>(run.Request, TrainingJsonOptions.Web)
        ?? throw new TrainingRequestException(TrainingFailureCode.InvalidRequest, $"Run {run.Id}'s stored request is empty.");

    private async Task RenewLeaseAsync(Guid runId, LeaseWatch lease, CancellationTokenSource stop)
    {
        TrainingRoleOptions settings = options.Value;
        DateTimeOffset lastRenewed = DateTimeOffset.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.LeaseRenewal, stop.Token);
                LeaseState state = await runs.RenewAsync(runId, Owner, settings.LeaseDuration, stop.Token);
                lastRenewed = DateTimeOffset.UtcNow;
                (lease.Lost, lease.CancelRequested) = (!state.Owned, state.CancelRequested);
            }
            catch (OperationCanceledException)
            {
                return;
            }
#pragma warning disable CA1031 // The database is away: keep training while the lease may still hold.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning("Training run {RunId}: lease not renewed: {Reason}", runId, e.Message);
                lease.Lost = DateTimeOffset.UtcNow - lastRenewed >= settings.LeaseDuration;
            }

            if (lease.Lost || lease.CancelRequested)
            {
                await stop.CancelAsync();
                return;
            }
        }
    }

    /// <summary>What the lease renewals found; read after the training stopped.</summary>
    private sealed class LeaseWatch
    {
        public volatile bool Lost;
        public volatile bool CancelRequested;
    }
}
