using MassTransit;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.Cli;

/// <summary>
/// `train submit`, `train cancel` and `promote` against the real RabbitMQ: what they publish, as a worker's consumer
/// receives it, and what --wait makes of the events a worker publishes back (here a bus standing in for the worker).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TrainingMessagingCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Train_submit_train_publishes_every_option_into_its_field()
    {
        LocalServices.Require();
        var received = new TaskCompletionSource<TrainBaseModel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runId = Guid.NewGuid();
        var initial = Guid.NewGuid();
        IBusControl worker = await TrainingCli.StartWorkerDoubleAsync(e => e.Handler<TrainBaseModel>(c =>
        {
            if (c.Message.RunId == runId)
            {
                received.TrySetResult(c.Message);
            }

            return Task.CompletedTask;
        }));
        try
        {
            (int code, string output, string error) = await TrainingCli.RunAsync(
                "train", "submit", "train", "--run-id", runId.ToString(), "--arch", "mobilenet_v3_small", "--size", "96",
                "--manifest", "file:///data/koniq/mos.csv", "--init", initial.ToString(), "--fold", "2/4",
                "--epochs", "7", "--steps-per-epoch", "11", "--batch-size", "8", "--lr", "2.5e-4", "--weight-decay", "0.02",
                "--patience", "3", "--seed", "42", "--val-samples", "100", "--mse-weight", "0.25", "--srocc-weight", "0.75");

            Assert.True(code == 0, error);
            Assert.Equal($"Submitted Train run {runId}.\n", output);
            TrainBaseModel m = await received.Task.WaitAsync(Patience);
            Assert.Equal(("mobilenet_v3_small", 96, initial, "2/4"), (m.Architecture, m.InputSize, m.InitialArtifactId, m.Fold));
            Assert.Equal(new TrainingDataSource { ManifestUri = "file:///data/koniq/mos.csv" }, m.Data);
            Assert.Equal(new TrainingHyperparameters
            {
                Epochs = 7, StepsPerEpoch = 11, BatchSize = 8, LearningRate = 2.5e-4, WeightDecay = 0.02, Patience = 3, Seed = 42,
                ValidationSamples = 100, MseWeight = 0.25, SroccWeight = 0.75,
            }, m.Hyperparameters);
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    [SkippableFact]
    public async Task Train_submit_fit_meta_leaves_out_what_was_not_given_so_the_worker_applies_its_defaults()
    {
        LocalServices.Require();
        var received = new TaskCompletionSource<FitMetaLearner>(TaskCreationOptions.RunContinuationsAsynchronously);
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        IBusControl worker = await TrainingCli.StartWorkerDoubleAsync(e => e.Handler<FitMetaLearner>(c =>
        {
            if (c.Message.BaseModels.Contains(a))
            {
                received.TrySetResult(c.Message);
            }

            return Task.CompletedTask;
        }));
        try
        {
            (int code, string output, string error) = await TrainingCli.RunAsync(
                "train", "submit", "fit-meta", "--model", a.ToString(), "--model", b.ToString(), "--dataset", "/data/kadid");

            Assert.True(code == 0, error);
            FitMetaLearner m = await received.Task.WaitAsync(Patience);
            // The run id is a new one, and the one printed.
            Assert.NotEqual(Guid.Empty, m.RunId);
            Assert.Equal($"Submitted FitMeta run {m.RunId}.\n", output);
            Assert.Equal(new[] { a, b }, m.BaseModels);
            Assert.Equal(new TrainingDataSource { Folder = "/data/kadid" }, m.Data);
            Assert.Equal((null, null, null, null), (m.Method, m.Fold, m.Seed, m.Version));
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    [SkippableFact]
    public async Task Submit_with_wait_prints_the_runs_progress_and_completion_and_ignores_other_runs()
    {
        LocalServices.Require();
        IBusControl worker = await TrainingCli.StartWorkerDoubleAsync(e => e.Handler<PretrainBaseModel>(async c =>
        {
            Guid run = c.Message.RunId;
            DateTimeOffset now = DateTimeOffset.UtcNow;
            await c.Publish(new TrainingFailed { RunId = Guid.NewGuid(), Code = TrainingFailureCode.DataEmpty, Message = "another run", FailedAt = now });
            await c.Publish(new TrainingProgressed
            {
                RunId = run, Kind = TrainingKind.Pretrain, Epoch = 1, Epochs = 2, Step = 3, StepsPerEpoch = 5, Loss = 0.123456,
                Progress = 0.3, Eta = TimeSpan.FromSeconds(3725), At = now,
            });
            await c.Publish(new TrainingProgressed
            {
                RunId = run, Kind = TrainingKind.Pretrain, Epoch = 1, Epochs = 2, Step = 5, StepsPerEpoch = 5, Loss = 0.1,
                ValidationSrocc = 0.8125, ValidationPlcc = 0.75, Progress = 0.5, Eta = TimeSpan.FromSeconds(90), At = now,
            });
            await c.Publish(new TrainingCompleted
            {
                RunId = run, Kind = TrainingKind.Pretrain, ArtifactId = run, Sha256 = "ab12", CompletedAt = now,
                Metrics = new Dictionary<string, double> { ["val_srocc"] = 0.8125, ["best_epoch"] = 2 },
            });
        }));
        try
        {
            (int code, string output, string error) = await TrainingCli.RunAsync(
                "train", "submit", "pretrain", "--arch", "resnet10_w32", "--synthetic", "8", "--wait", "--timeout", "60");

            Assert.True(code == 0, error);
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Guid run = Guid.Parse(lines[0]["Submitted Pretrain run ".Length..^1]);
            Assert.Equal(
            [
                $"Submitted Pretrain run {run}.",
                "epoch 1/2  step 3/5  loss 0.1235  30.0 %  ETA 1:02:05",
                "epoch 1/2  step 5/5  loss 0.1000  val SROCC 0.8125  val PLCC 0.7500  50.0 %  ETA 0:01:30",
                $"Run {run} completed: Pretrain artifact {run}, sha256 ab12; best_epoch=2 val_srocc=0.8125",
            ], lines);
            Assert.DoesNotContain("another run", error, StringComparison.Ordinal);
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    [SkippableFact]
    public async Task Submit_with_wait_of_a_failing_run_prints_its_code_and_message_and_exits_4()
    {
        LocalServices.Require();
        IBusControl worker = await TrainingCli.StartWorkerDoubleAsync(e => e.Handler<TrainBaseModel>(c => c.Publish(new TrainingFailed
        {
            RunId = c.Message.RunId, Kind = TrainingKind.Train, Code = TrainingFailureCode.DataNotFound,
            Message = "Data.Folder /data/none does not exist.", FailedAt = DateTimeOffset.UtcNow,
        })));
        try
        {
            var runId = Guid.NewGuid();
            (int code, _, string error) = await TrainingCli.RunAsync(
                "train", "submit", "train", "--run-id", runId.ToString(), "--arch", "resnet10_w32", "--dataset", "/data/none", "--wait");

            Assert.Equal(4, code);
            Assert.Equal($"Run {runId} failed: DataNotFound: Data.Folder /data/none does not exist.\n", error);
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    [SkippableFact]
    public async Task Submit_with_wait_gives_up_after_the_timeout_with_exit_5()
    {
        LocalServices.Require();
        var runId = Guid.NewGuid();

        (int code, string output, string error) = await TrainingCli.RunAsync(
            "train", "submit", "pretrain", "--run-id", runId.ToString(), "--arch", "resnet10_w32", "--wait", "--timeout", "1");

        Assert.Equal(5, code);
        Assert.StartsWith($"Submitted Pretrain run {runId}.", output, StringComparison.Ordinal);
        Assert.Contains($"No outcome within 1 s. The run goes on; `metaqap runs {runId}`", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Train_cancel_publishes_CancelTrainingRun_for_the_run()
    {
        LocalServices.Require();
        var runId = Guid.NewGuid();
        var received = new TaskCompletionSource<CancelTrainingRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        IBusControl worker = await TrainingCli.StartWorkerDoubleAsync(e => e.Handler<CancelTrainingRun>(c =>
        {
            received.TrySetResult(c.Message);
            return Task.CompletedTask;
        }));
        try
        {
            (int code, string output, string error) = await TrainingCli.RunAsync("train", "cancel", runId.ToString());

            Assert.True(code == 0, error);
            Assert.StartsWith($"Cancel of run {runId} requested", output, StringComparison.Ordinal);
            Assert.Equal(runId, (await received.Task.WaitAsync(Patience)).RunId);
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    [SkippableFact]
    public async Task Promote_with_wait_ends_on_the_ensembles_own_outcome()
    {
        LocalServices.Require();
        Guid accepted = Guid.NewGuid(), rejected = Guid.NewGuid(), previous = Guid.NewGuid();
        IBusControl worker = await TrainingCli.StartWorkerDoubleAsync(e => e.Handler<PromoteEnsemble>(async c =>
        {
            Guid id = c.Message.EnsembleId;
            DateTimeOffset at = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
            // Each outcome is preceded by the other kind for another ensemble, which must not end the wait.
            if (id == accepted)
            {
                await c.Publish(new EnsemblePromotionRejected { EnsembleId = Guid.NewGuid(), Code = TrainingFailureCode.UnknownEnsemble, Message = "other", At = at });
                await c.Publish(new EnsemblePromoted { EnsembleId = id, Version = "run-1234abcd", PreviousEnsembleId = previous, PromotedAt = at });
            }
            else
            {
                await c.Publish(new EnsemblePromoted { EnsembleId = Guid.NewGuid(), Version = "other", PromotedAt = at });
                await c.Publish(new EnsemblePromotionRejected { EnsembleId = id, Code = TrainingFailureCode.UnknownEnsemble, Message = $"No ensemble {id}.", At = at });
            }
        }));
        try
        {
            (int code, string output, string error) = await TrainingCli.RunAsync("promote", accepted.ToString(), "--wait", "--timeout", "60");

            Assert.True(code == 0, error);
            Assert.Equal(
                $"Promotion of ensemble {accepted} requested.\nEnsemble {accepted} (version run-1234abcd) is active since 2025-03-04 05:06:07Z; it replaced {previous}.\n",
                output);

            (code, output, error) = await TrainingCli.RunAsync("promote", rejected.ToString(), "--wait", "--timeout", "60");

            Assert.Equal(4, code);
            Assert.Equal($"Promotion of {rejected} rejected: UnknownEnsemble: No ensemble {rejected}.\n", error);
            Assert.DoesNotContain("is active", output, StringComparison.Ordinal);
        }
        finally
        {
            await worker.StopAsync();
        }
    }
}
