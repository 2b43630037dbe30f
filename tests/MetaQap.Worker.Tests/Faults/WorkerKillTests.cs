using MetaQap.Components.Jobs;
using MetaQap.Components.Scoring;
using MetaQap.Components.Sources;
using MetaQap.Contracts;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Faults;

/// <summary>
/// The real worker binary, with a real (tiny, randomly initialised) ensemble, SIGKILLed mid-job three times and
/// started again: no shutdown code runs, whatever was in hand is redelivered by the broker.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class WorkerKillTests(ITestOutputHelper output)
{
    private const int BatchSize = 8;

    [SkippableFact]
    public async Task A_worker_killed_three_times_mid_job_leaves_one_row_and_one_event_id_per_image_and_completes_once()
    {
        LocalServices.Require();
        await RawAmqp.PurgeAsync(ScoringQueues.ScoreImages, ScoringQueues.ScoreImagesJson, ScoringQueues.ScoreImageItems);
        using var root = new TempFolder();
        using var ensemble = new TinyEnsemble();
        // 1024-px images decoded one at a time: a worker slow enough (tens of images a second) that the kill lands
        // mid-job even when this process's poll is late by a second or two on a loaded machine.
        var job = new FaultJob(root, images: 240, side: 1024);
        Dictionary<string, string?> settings = ProcessSettings(root.Path, ensemble.Directory, maxBatchSize: BatchSize);
        settings["MetaQap:Sources:FetchConcurrency"] = "1";
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(LocalServices.PostgresConnectionString!);
        var store = new JobStore(dataSource);
        await using EventRecorder events = await EventRecorder.StartAsync();
        await job.PublishAsync();
        var logs = new List<string>();

        int finished = 0;
        for (int kill = 1; kill <= 3; kill++)
        {
            // Not waiting for /healthz: the consumers start before it reports ready, and on an idle machine a
            // restarted worker scored the rest of the job in that time, so the kill came too late.
            await using WorkerProcess worker = await WorkerProcess.StartAsync(settings, waitUntilReady: false);
            // Each worker is killed once it has stored three batches of its own, not at a fixed share of the job:
            // on a loaded machine a poll came late enough that a fast restarted worker had finished the job.
            await job.WaitForFinishedAsync(store, finished + 3 * BatchSize, TimeSpan.FromSeconds(90));
            await worker.KillAsync();
            logs.Add(worker.Output);
            JobStatus status = (await store.GetJobAsync(job.JobId, CancellationToken.None))!;
            finished = status.ScoredImages + status.FailedImages;
            output.WriteLine($"kill {kill}: {status.ScoredImages + status.FailedImages} of {status.ExpectedImages} stored");
            Assert.True(status.PendingImages > 0, "The job finished before the worker was killed; the test proves nothing.");
        }

        await using WorkerProcess last = await WorkerProcess.StartAsync(settings);
        await job.WaitForAllEventsAsync(events, TimeSpan.FromSeconds(120));

        logs.Add(last.Output);
        // How often a restarted worker found outcomes stored by a killed one but never published, and sent them.
        output.WriteLine($"republish passes after redelivery: {logs.Sum(l => CountOf(l, "interrupted attempt stored"))}");
        DeliveryCounts counts = await job.CountAsync(events, store, output, "after 3 SIGKILLs");
        counts.AssertNothingLostOrDoubled();
        Assert.Equal(job.References.Count, counts.ScoredRows);
    }

    private static int CountOf(string text, string phrase)
    {
        int count = 0;
        for (int at = text.IndexOf(phrase, StringComparison.Ordinal); at >= 0; at = text.IndexOf(phrase, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The configuration of a worker process: the local services, the ensemble on one torch thread, a file root.</summary>
    internal static Dictionary<string, string?> ProcessSettings(string fileRoot, string ensemble, int maxBatchSize) => new()
    {
        ["MetaQap:RabbitMq:Uri"] = LocalServices.RabbitMqUri,
        ["MetaQap:Database:ConnectionString"] = LocalServices.PostgresConnectionString,
        ["MetaQap:Model:Path"] = ensemble,
        ["MetaQap:Model:Threads"] = "1",
        ["MetaQap:Sources:FileRoots:0"] = fileRoot,
        ["MetaQap:Batching:MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
