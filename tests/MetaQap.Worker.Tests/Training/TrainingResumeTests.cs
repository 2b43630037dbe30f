using MetaQap.Components.Training;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Training;

/// <summary>
/// The real worker binary, training, SIGKILLed after its first checkpoint: no shutdown code runs, the claim lapses,
/// and the next worker resumes the run from that checkpoint instead of starting over.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TrainingResumeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task A_worker_killed_mid_training_is_followed_by_one_that_resumes_from_the_checkpoint()
    {
        LocalServices.Require();
        using var world = new TrainingWorld();
        await TrainingWorld.ResetRegistryAsync();
        Dictionary<string, string?> settings = world.Settings(scoring: false);
        await using EventRecorder events = await EventRecorder.StartAsync();
        Guid id = Guid.NewGuid();
        const int epochs = 8;

        await using (WorkerProcess first = await WorkerProcess.StartAsync(settings))
        {
            await TestBus.PublishAsync(TrainingWorld.Pretrain(id, epochs: epochs, steps: 4));
            // Epoch 3 begun: epochs 1 and 2 are checkpointed.
            await events.WaitForAsync<TrainingProgressed>(e => e.RunId == id && e.Epoch >= 3, Patience, "the third epoch");
            await first.KillAsync();
            output.WriteLine(first.Output);
        }

        int before = events.All<TrainingProgressed>().Count(e => e.RunId == id);
        int killedAt = events.All<TrainingProgressed>().Where(e => e.RunId == id).Max(e => e.Epoch);
        Assert.True(killedAt < epochs, "the run finished before the kill; the test proves nothing");

        await using WorkerProcess second = await WorkerProcess.StartAsync(settings);
        TrainingCompleted completed = await events.WaitForAsync<TrainingCompleted>(e => e.RunId == id, Patience, "the resumed run");
        output.WriteLine(second.Output);

        List<TrainingProgressed> after = [.. events.All<TrainingProgressed>().Where(e => e.RunId == id).Skip(before)];
        Assert.NotEmpty(after);
        Assert.True(after.Min(e => e.Epoch) >= 3, $"after the restart the first progress was epoch {after.Min(e => e.Epoch)}: it started over");
        Assert.Contains(after, e => e.Epoch == epochs);
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(LocalServices.PostgresConnectionString!);
        TrainingRunRecord run = (await new TrainingRegistry(dataSource).GetAsync(id, CancellationToken.None))!;
        Assert.Equal((TrainingRunStatus.Completed, 2), (run.Status, run.Attempts));
        Assert.Equal(id, completed.ArtifactId);
        Assert.Single(events.All<TrainingCompleted>(), e => e.RunId == id);
    }
}
