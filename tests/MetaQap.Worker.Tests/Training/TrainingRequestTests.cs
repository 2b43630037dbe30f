using MetaQap.Components.Registry;
using MetaQap.Components.Training;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MetaQap.Worker.Tests.Training;

/// <summary>
/// Bad training requests fail fast, over real RabbitMQ and PostgreSQL: within seconds, with their documented
/// <see cref="TrainingFailureCode"/>, a message naming the problem, a Failed run and no artifact.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TrainingRequestTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public async Task Every_bad_request_fails_fast_with_its_code_and_registers_nothing()
    {
        LocalServices.Require();
        using var world = new TrainingWorld();
        string empty = world.Combine("data", "empty");
        Directory.CreateDirectory(Path.Combine(empty, "images"));
        File.WriteAllText(Path.Combine(empty, "mos.csv"), "image,mos,source\n");
        string badRows = world.Combine("data", "bad-rows");
        Directory.CreateDirectory(Path.Combine(badRows, "images"));
        File.Copy(Path.Combine(world.Dataset, "images", "c00_l1.png"), Path.Combine(badRows, "images", "a.png"));
        File.WriteAllText(Path.Combine(badRows, "mos.csv"), "image,mos,source\na.png,0.5,s\nb.png,not-a-number,s\n");
        string outside = world.Combine("outside");
        Directory.CreateDirectory(outside);

        await TrainingWorld.ResetRegistryAsync();
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(world.Settings(scoring: false));
        Guid missingArtifact = Guid.NewGuid();
        var cases = new List<(string Name, object Command, Guid RunId, TrainingFailureCode Code, string Mentions)>();
        void Add(string name, Func<Guid, object> command, TrainingFailureCode code, string mentions)
        {
            Guid id = Guid.NewGuid();
            cases.Add((name, command(id), id, code, mentions));
        }

        Add("unknown architecture", id => TrainingWorld.Pretrain(id) with { Architecture = "resnet9000" }, TrainingFailureCode.UnknownArchitecture, "resnet9000");
        Add("batch of one", id => TrainingWorld.Pretrain(id) with { Hyperparameters = TrainingWorld.Tiny() with { BatchSize = 1 } }, TrainingFailureCode.InvalidRequest, "BatchSize");
        Add("no pristine content", id => TrainingWorld.Pretrain(id) with { Data = new TrainingDataSource() }, TrainingFailureCode.InvalidRequest, "pristine");
        Add("missing dataset", id => world.Train(id) with { Data = new TrainingDataSource { Folder = world.Combine("data", "nowhere") } }, TrainingFailureCode.DataNotFound, "nowhere");
        Add("dataset outside the data roots", id => world.Train(id) with { Data = new TrainingDataSource { Folder = outside } }, TrainingFailureCode.DataAccessDenied, "outside");
        Add("http manifest", id => world.Train(id) with { Data = new TrainingDataSource { ManifestUri = "http://169.254.169.254/mos.csv" } }, TrainingFailureCode.DataAccessDenied, "http://");
        Add("empty dataset", id => world.Train(id) with { Data = new TrainingDataSource { Folder = empty } }, TrainingFailureCode.DataEmpty, "no items");
        Add("CSV with bad rows", id => world.Train(id) with { Data = new TrainingDataSource { Folder = badRows } }, TrainingFailureCode.DataInvalid, "not-a-number");
        Add("fold not k/K", id => world.Train(id) with { Fold = "3/2" }, TrainingFailureCode.InvalidRequest, "3/2");
        Add("unknown initial artifact", id => world.Train(id, initial: missingArtifact), TrainingFailureCode.UnknownArtifact, missingArtifact.ToString());
        Add("meta-learner over models that do not exist", id => new FitMetaLearner
        {
            RunId = id,
            BaseModels = [missingArtifact],
            Data = new TrainingDataSource { Folder = world.Dataset },
        }, TrainingFailureCode.UnknownArtifact, missingArtifact.ToString());
        Add("stepwise without data", id => new FitMetaLearner { RunId = id, BaseModels = [missingArtifact] }, TrainingFailureCode.UnknownArtifact, missingArtifact.ToString());
        var ratings = new TrainingDataSource { Folder = world.Dataset };
        Add("calibrate an unknown ensemble", id => new CalibrateEnsemble { RunId = id, EnsembleId = missingArtifact, Data = ratings },
            TrainingFailureCode.UnknownEnsemble, missingArtifact.ToString());
        Add("calibrate the active ensemble when none is", id => new CalibrateEnsemble { RunId = id, Data = ratings }, TrainingFailureCode.UnknownEnsemble, "no ensemble is active");
        Add("calibrate at a view side not a multiple of 32", id => new CalibrateEnsemble { RunId = id, Data = ratings, ViewSide = 100 }, TrainingFailureCode.InvalidRequest, "100");
        Add("calibrate with a version that is not an identifier", id => new CalibrateEnsemble { RunId = id, Data = ratings, Version = "my model" },
            TrainingFailureCode.InvalidRequest, "Version");

        foreach (var c in cases)
        {
            await worker.Bus.Publish(c.Command, c.Command.GetType());
        }

        var runs = worker.Services.GetRequiredService<TrainingRegistry>();
        var models = worker.Services.GetRequiredService<ModelRegistry>();
        foreach (var c in cases)
        {
            TrainingFailed failed = await events.WaitForAsync<TrainingFailed>(e => e.RunId == c.RunId, Fast, c.Name);
            Assert.True(c.Code == failed.Code, $"{c.Name}: {failed.Code} ({failed.Message}), expected {c.Code}");
            Assert.Contains(c.Mentions, failed.Message, StringComparison.Ordinal);
            TrainingRunRecord run = (await runs.GetAsync(c.RunId, CancellationToken.None))!;
            Assert.Equal((TrainingRunStatus.Failed, c.Code), (run.Status, run.FailureCode!.Value));
            Assert.Null(await models.GetArtifactAsync(c.RunId, CancellationToken.None));
            Assert.Null(await models.GetEnsembleAsync(c.RunId, CancellationToken.None));
        }
    }

    [SkippableFact]
    public async Task A_command_repeated_with_the_same_run_id_runs_once()
    {
        LocalServices.Require();
        using var world = new TrainingWorld();
        await TrainingWorld.ResetRegistryAsync();
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(world.Settings(scoring: false));
        Guid id = Guid.NewGuid();
        await worker.Bus.Publish(TrainingWorld.Pretrain(id));
        await worker.Bus.Publish(TrainingWorld.Pretrain(id) with { Architecture = "mobilenet_v3_small" });
        await events.WaitForAsync<TrainingCompleted>(e => e.RunId == id, TimeSpan.FromSeconds(120), "the pretraining");
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Both commands may be received at once (two consumers); whichever was recorded first is the run, alone.
        TrainingRunRecord run = (await worker.Services.GetRequiredService<TrainingRegistry>().GetAsync(id, CancellationToken.None))!;
        Assert.Equal((TrainingRunStatus.Completed, 1), (run.Status, run.Attempts));
        Assert.Single(events.All<TrainingCompleted>(), e => e.RunId == id);
        string architecture = (await worker.Services.GetRequiredService<ModelRegistry>().GetArtifactAsync(id, CancellationToken.None))!.Architecture;
        Assert.Equal(architecture, System.Text.Json.JsonDocument.Parse(run.Request).RootElement.GetProperty("architecture").GetString());
    }
}
