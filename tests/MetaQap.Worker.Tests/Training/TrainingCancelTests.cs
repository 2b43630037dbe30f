using MetaQap.Components.Registry;
using MetaQap.Components.Training;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MetaQap.Worker.Tests.Training;

/// <summary><c>CancelTrainingRun</c> on a running and on a queued run: both end Cancelled, with nothing registered or left behind.</summary>
[Collection(ServicesCollection.Name)]
public sealed class TrainingCancelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_cancelled_run_stops_mid_training_leaves_no_artifact_and_a_queued_one_never_starts()
    {
        LocalServices.Require();
        using var world = new TrainingWorld();
        await TrainingWorld.ResetRegistryAsync();
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(world.Settings(scoring: false));
        Guid running = Guid.NewGuid(), queued = Guid.NewGuid();
        await worker.Bus.Publish(TrainingWorld.Pretrain(running, epochs: 200, steps: 5));
        await events.WaitForAsync<TrainingProgressed>(e => e.RunId == running && e.Epoch >= 2, Patience, "the long run's second epoch");
        await worker.Bus.Publish(TrainingWorld.Pretrain(queued));
        var runs = worker.Services.GetRequiredService<TrainingRegistry>();
        await WaitForStatusAsync(runs, queued, TrainingRunStatus.Queued);
        Assert.True(Directory.Exists(Path.Combine(world.Store, "runs", running.ToString("D"), "checkpoints")), "the running run has checkpoints");
        using var http = new HttpClient();
        var metricsUri = new Uri(worker.TelemetryAddress, "/metrics");
        string during = await http.GetStringAsync(metricsUri);
        double progress = MetricsText.Value(during, $"metaqap_training_progress_ratio{{run=\"{running:D}\"}}");
        Assert.True(progress is > 0 and < 0.5, $"progress ratio {progress}");
        // The run counts come from the registry every poll interval (1 s here): wait for one taken after the claim.
        DateTime countDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (MetricsText.Value(during, "metaqap_training_runs{state=\"Running\"}") < 1)
        {
            Assert.True(DateTime.UtcNow < countDeadline, "metaqap_training_runs{state=\"Running\"} never counted the run");
            await Task.Delay(200);
            during = await http.GetStringAsync(metricsUri);
        }

        Assert.True(MetricsText.Value(during, "metaqap_training_step_seconds_count") > 0);

        await worker.Bus.Publish(new CancelTrainingRun { RunId = queued });
        await worker.Bus.Publish(new CancelTrainingRun { RunId = running });
        TrainingFailed queuedOutcome = await events.WaitForAsync<TrainingFailed>(e => e.RunId == queued, Patience, "the queued run's cancellation");
        TrainingFailed runningOutcome = await events.WaitForAsync<TrainingFailed>(e => e.RunId == running, Patience, "the running run's cancellation");

        Assert.Equal(TrainingFailureCode.Cancelled, queuedOutcome.Code);
        Assert.Equal(TrainingFailureCode.Cancelled, runningOutcome.Code);
        TrainingRunRecord stopped = (await runs.GetAsync(running, CancellationToken.None))!;
        TrainingRunRecord neverStarted = (await runs.GetAsync(queued, CancellationToken.None))!;
        Assert.Equal(TrainingRunStatus.Cancelled, stopped.Status);
        Assert.True(stopped.Progress < 0.5, $"progress {stopped.Progress}");
        Assert.Equal((TrainingRunStatus.Cancelled, 0), (neverStarted.Status, neverStarted.Attempts));
        var models = worker.Services.GetRequiredService<ModelRegistry>();
        Assert.Null(await models.GetArtifactAsync(running, CancellationToken.None));
        Assert.Null(await models.GetArtifactAsync(queued, CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(world.Store, "runs", running.ToString("D"))), "the cancelled run's folder is deleted");
        Assert.False(Directory.Exists(Path.Combine(world.Store, "artifacts", running.ToString("D"))));

        Assert.DoesNotContain(running.ToString("D"), await http.GetStringAsync(metricsUri), StringComparison.Ordinal);

        // A cancel after the end changes nothing.
        await worker.Bus.Publish(new CancelTrainingRun { RunId = running });
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(events.All<TrainingFailed>(), e => e.RunId == running);
    }

    private static async Task WaitForStatusAsync(TrainingRegistry runs, Guid id, TrainingRunStatus status)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while ((await runs.GetAsync(id, CancellationToken.None))?.Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {id} never became {status}");
            await Task.Delay(100);
        }
    }
}
