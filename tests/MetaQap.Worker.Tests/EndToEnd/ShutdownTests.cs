using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

[Collection(ServicesCollection.Name)]
public sealed class ShutdownTests
{
    [SkippableFact]
    public async Task Stopping_the_worker_mid_job_loses_nothing_and_repeats_nothing()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        List<ExpectedImage> images = TestJobs.Graded(root, contents: 16);
        Dictionary<string, string?> settings = WorkerHost.Settings(root.Path);
        settings["MetaQap:Batching:MaxBatchSize"] = "8";
        var slow = new TestScorerFactory(() => new SlowScorer(TimeSpan.FromMilliseconds(40)));
        await using EventRecorder events = await EventRecorder.StartAsync();
        var jobId = Guid.NewGuid();

        WorkerHost first = await WorkerHost.StartAsync(settings, slow);
        await first.Bus.Publish(new ScoreImages { JobId = jobId, Images = images.Select(i => i.Reference).ToList() });
        while (events.Scored(jobId).Count == 0)
        {
            await Task.Delay(20);
        }

        await first.DisposeAsync();
        await using var dataSource = new Npgsql.NpgsqlDataSourceBuilder(settings["MetaQap:Database:ConnectionString"]).Build();
        JobStatus halfway = (await new JobStore(dataSource).GetJobAsync(jobId, CancellationToken.None))!;
        Assert.True(halfway.PendingImages > 0, "The first worker finished the whole job before it was stopped; the test proves nothing.");
        // What the first worker stored, it also published: nothing stored went unannounced.
        Assert.Equal(halfway.ScoredImages, events.Scored(jobId).Count);

        await using WorkerHost second = await WorkerHost.StartAsync(settings, slow, purgeQueues: false);
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(events.Completed(jobId));
        Assert.Equal(images.Count, completed.ScoredImages);
        Assert.Equal(images.Count, events.Scored(jobId).Count);
        Assert.Equal(images.Count, events.Scored(jobId).Select(s => s.ImageId).Distinct().Count());
    }
}
