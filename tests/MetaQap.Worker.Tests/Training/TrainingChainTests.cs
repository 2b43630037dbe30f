using MetaQap.Components.Jobs;
using MetaQap.Components.Registry;
using MetaQap.Components.Scoring;
using MetaQap.Contracts;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Training;

/// <summary>
/// Issue 6's chain over real RabbitMQ and PostgreSQL: pretrain → train (from the pretrained artifact, and from
/// scratch) → fit-meta → promote → calibrate → promote, all as messages, ending with the scoring worker scoring with
/// the calibrated ensemble.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TrainingChainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [SkippableFact]
    public async Task Pretrain_train_fit_meta_and_promote_over_messages_switch_the_scoring_worker_to_the_new_ensemble_without_restart()
    {
        LocalServices.Require();
        using var world = new TrainingWorld();
        using var initial = new TinyEnsemble();
        await TrainingWorld.ResetRegistryAsync();
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(world.Settings(initialModel: initial.Directory), new EnsembleScorerFactory());
        Assert.Equal("tiny-test", worker.Services.GetRequiredService<LoadedModel>().Scorer.ModelVersion);

        Guid pretrain = Guid.NewGuid(), fromPretrained = Guid.NewGuid(), fromScratch = Guid.NewGuid(), meta = Guid.NewGuid();
        await worker.Bus.Publish(TrainingWorld.Pretrain(pretrain));
        TrainingCompleted pretrained = await events.WaitForAsync<TrainingCompleted>(e => e.RunId == pretrain, Patience, "pretrain");
        Assert.Equal(TrainingKind.Pretrain, pretrained.Kind);
        Assert.Equal(pretrain, pretrained.ArtifactId);
        Assert.Contains(events.All<TrainingProgressed>(), p => p.RunId == pretrain && p.ValidationSrocc is not null && p.Epoch == 2);

        await worker.Bus.Publish(world.Train(fromPretrained, initial: pretrain));
        await worker.Bus.Publish(world.Train(fromScratch));
        await events.WaitForAsync<TrainingCompleted>(e => e.RunId == fromPretrained, Patience, "train from the pretrained artifact");
        await events.WaitForAsync<TrainingCompleted>(e => e.RunId == fromScratch, Patience, "train from scratch");

        await worker.Bus.Publish(new FitMetaLearner
        {
            RunId = meta,
            BaseModels = [fromPretrained, fromScratch],
            Data = new TrainingDataSource { Folder = world.Dataset },
            Fold = "1/2",
            Seed = 1,
            Version = $"chain-{meta:N}",
        });
        TrainingCompleted fitted = await events.WaitForAsync<TrainingCompleted>(e => e.RunId == meta, Patience, "fit-meta");
        Assert.Equal($"chain-{meta:N}", fitted.Version);
        Assert.True(fitted.Metrics.ContainsKey("oof_srocc"), string.Join(", ", fitted.Metrics.Keys));

        var models = worker.Services.GetRequiredService<ModelRegistry>();
        EnsembleRecord ensemble = (await models.GetEnsembleAsync(meta, CancellationToken.None))!;
        Assert.Equal([fromPretrained, fromScratch], ensemble.BaseModels);
        Assert.False(ensemble.Active);
        Assert.Equal("tiny-test", worker.Services.GetRequiredService<LoadedModel>().Scorer.ModelVersion);

        // The promotion lands while a job is being scored: no image may be lost, failed or scored by a half-switched model.
        var job = new FaultJob(world.ImageRoot, images: 800);
        await job.PublishAsync();
        await job.WaitForFinishedAsync(worker.Store, 50, Patience);
        await worker.Bus.Publish(new PromoteEnsemble { EnsembleId = meta });
        EnsemblePromoted promoted = await events.WaitForAsync<EnsemblePromoted>(e => e.EnsembleId == meta, Patience, "promotion");
        Assert.Equal(fitted.Version, promoted.Version);
        await WaitUntilAsync(() => worker.Services.GetRequiredService<LoadedModel>().Scorer.ModelVersion == fitted.Version, "the worker switches");

        await job.WaitForAllEventsAsync(events, Patience);
        DeliveryCounts counts = await job.CountAsync(events, worker.Store, output, "promotion mid-job");
        counts.AssertNothingLostOrDoubled();
        Assert.Equal(800, counts.ScoredRows);
        var versions = events.Scored(job.JobId).GroupBy(e => e.ModelVersion).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"scored by: {string.Join(", ", versions.Select(v => $"{v.Key} {v.Value}"))}");
        Assert.Equal(new[] { "tiny-test", fitted.Version }.Order(StringComparer.Ordinal), versions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(fitted.Version, events.Completed(job.JobId).Single().ModelVersion);
        IReadOnlyList<ImageResult> rows = await worker.Store.GetResultsAsync(job.JobId, CancellationToken.None);
        Assert.All(events.Scored(job.JobId), e => Assert.Equal(rows.Single(r => r.ImageId == e.ImageId).ModelVersion, e.ModelVersion));

        // After the switch, a new job is scored by the promoted ensemble only, and only its version is exported.
        var after = new FaultJob(world.ImageRoot, images: 6);
        await after.PublishAsync();
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(after.JobId, Patience);
        Assert.Equal((6, fitted.Version), (completed.ScoredImages, completed.ModelVersion));
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri(worker.TelemetryAddress, "/metrics"));
        Assert.Equal(1, MetricsText.Value(metrics, $"metaqap_model_info{{version=\"{fitted.Version}\"}}"));
        Assert.DoesNotContain("version=\"tiny-test\"", metrics, StringComparison.Ordinal);
        // A promotion that cannot be carried out changes nothing: an unknown id, and an ensemble whose weights were damaged.
        Guid unknown = Guid.NewGuid(), damaged = Guid.NewGuid();
        await worker.Bus.Publish(new PromoteEnsemble { EnsembleId = unknown });
        Assert.Equal(TrainingFailureCode.UnknownEnsemble,
            (await events.WaitForAsync<EnsemblePromotionRejected>(e => e.EnsembleId == unknown, Patience, "unknown ensemble")).Code);
        await worker.Bus.Publish(new FitMetaLearner { RunId = damaged, BaseModels = [fromPretrained, fromScratch], Method = "mean" });
        TrainingCompleted mean = await events.WaitForAsync<TrainingCompleted>(e => e.RunId == damaged, Patience, "a mean ensemble without data");
        Assert.Empty(mean.Metrics);
        string weights = Directory.GetFiles(Path.Combine(world.Store, "ensembles", damaged.ToString("D"), "weights"))[0];
        await File.AppendAllTextAsync(weights, "damage");
        await worker.Bus.Publish(new PromoteEnsemble { EnsembleId = damaged });
        EnsemblePromotionRejected rejected = await events.WaitForAsync<EnsemblePromotionRejected>(e => e.EnsembleId == damaged, Patience, "damaged ensemble");
        Assert.Equal(TrainingFailureCode.ArtifactCorrupt, rejected.Code);
        Assert.Equal(meta, (await models.GetActiveEnsembleAsync(CancellationToken.None))!.Id);
        Assert.Equal(fitted.Version, worker.Services.GetRequiredService<LoadedModel>().Scorer.ModelVersion);
        output.WriteLine($"ensemble {fitted.Version}: fit metrics {string.Join(", ", fitted.Metrics.Select(m => $"{m.Key}={m.Value:F3}"))}");

        await CalibrateAndPromoteAsync(world, worker, events, models, meta, [fromPretrained, fromScratch]);
    }

    /// <summary>
    /// Issue 15's calibration over messages: the active ensemble fitted to the blur ratings (CalibrateEnsemble with no
    /// ensemble id), promoted, and scoring the next job; bad calibrations fail with their codes and change nothing.
    /// </summary>
    private async Task CalibrateAndPromoteAsync(TrainingWorld world, WorkerHost worker, EventRecorder events, ModelRegistry models, Guid active,
        IReadOnlyList<Guid> baseModels)
    {
        var ratings = new TrainingDataSource { Folder = world.Dataset };
        Guid calibrated = Guid.NewGuid();
        await worker.Bus.Publish(new CalibrateEnsemble { RunId = calibrated, Data = ratings, ViewSide = 64, Version = $"cal-{calibrated:N}" });
        TrainingCompleted done = await events.WaitForAsync<TrainingCompleted>(e => e.RunId == calibrated, Patience, "calibrate");
        Assert.Equal((TrainingKind.Calibrate, $"cal-{calibrated:N}"), (done.Kind, done.Version));
        Assert.Equal(40, done.Metrics["calibration_items"]);
        Assert.Contains(events.All<TrainingProgressed>(), p => p.RunId == calibrated);
        EnsembleRecord record = (await models.GetEnsembleAsync(calibrated, CancellationToken.None))!;
        Assert.Equal(("calibrated-ridge", false), (record.Method, record.Active));
        Assert.Equal(baseModels, record.BaseModels);

        await worker.Bus.Publish(new PromoteEnsemble { EnsembleId = calibrated });
        await events.WaitForAsync<EnsemblePromoted>(e => e.EnsembleId == calibrated, Patience, "calibrated promotion");
        await WaitUntilAsync(() => worker.Services.GetRequiredService<LoadedModel>().Scorer.ModelVersion == done.Version, "the worker switches to the calibration");
        var job = new FaultJob(world.ImageRoot, images: 6);
        await job.PublishAsync();
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(job.JobId, Patience);
        Assert.Equal((6, done.Version), (completed.ScoredImages, completed.ModelVersion));

        string few = world.Combine("data", "few");
        Directory.CreateDirectory(Path.Combine(few, "images"));
        string[] lines = File.ReadAllLines(Path.Combine(world.Dataset, "mos.csv"));
        foreach (string line in lines.Skip(1).Take(10))
        {
            string name = line.Split(',')[0];
            File.Copy(Path.Combine(world.Dataset, "images", name), Path.Combine(few, "images", name));
        }

        File.WriteAllLines(Path.Combine(few, "mos.csv"), lines.Take(11));
        string flat = world.Combine("data", "flat");
        Directory.CreateDirectory(flat);
        Directory.CreateSymbolicLink(Path.Combine(flat, "images"), Path.Combine(world.Dataset, "images"));
        File.WriteAllLines(Path.Combine(flat, "mos.csv"), [lines[0], .. lines.Skip(1).Select(l => l.Split(',') is [var image, _, var source] ? $"{image},0.50,{source}" : l)]);
        var refusals = new (string Name, CalibrateEnsemble Command, TrainingFailureCode Code)[]
        {
            ("calibrate the calibration", new() { RunId = Guid.NewGuid(), EnsembleId = calibrated, Data = ratings, ViewSide = 64 }, TrainingFailureCode.AlreadyCalibrated),
            ("ten ratings", new() { RunId = Guid.NewGuid(), EnsembleId = active, Data = new TrainingDataSource { Folder = few }, ViewSide = 64 }, TrainingFailureCode.TooFewRatings),
            ("equal ratings", new() { RunId = Guid.NewGuid(), EnsembleId = active, Data = new TrainingDataSource { Folder = flat }, ViewSide = 64 }, TrainingFailureCode.ConstantRatings),
        };
        foreach (var (_, command, _) in refusals)
        {
            await worker.Bus.Publish(command);
        }

        foreach (var (name, command, code) in refusals)
        {
            TrainingFailed failed = await events.WaitForAsync<TrainingFailed>(e => e.RunId == command.RunId, Patience, name);
            Assert.True(code == failed.Code, $"{name}: {failed.Code} ({failed.Message}), expected {code}");
            Assert.Null(await models.GetEnsembleAsync(command.RunId, CancellationToken.None));
        }

        Assert.Equal(calibrated, (await models.GetActiveEnsembleAsync(CancellationToken.None))!.Id);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}
