using MetaQap.Components.Jobs;
using MetaQap.Components.Scoring;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Faults;

/// <summary>Two worker processes competing for the same queues, with every message of the job delivered three times.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ConcurrentWorkerTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Duplicate_deliveries_to_two_concurrent_workers_store_and_publish_each_image_once()
    {
        LocalServices.Require();
        await RawAmqp.PurgeAsync(ScoringQueues.ScoreImages, ScoringQueues.ScoreImagesJson, ScoringQueues.ScoreImageItems);
        using var root = new TempFolder();
        using var ensemble = new TinyEnsemble();
        var job = new FaultJob(root, images: 120);
        Dictionary<string, string?> settings = WorkerKillTests.ProcessSettings(root.Path, ensemble.Directory, maxBatchSize: 4);
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(LocalServices.PostgresConnectionString!);
        var store = new JobStore(dataSource);
        await using EventRecorder events = await EventRecorder.StartAsync();
        WorkerProcess[] workers = await Task.WhenAll(WorkerProcess.StartAsync(settings), WorkerProcess.StartAsync(settings));
        try
        {
            // Three copies of the message: each is recorded (idempotently) and fans the pending images out again,
            // so both workers get copies of the same images at the same time.
            await Task.WhenAll(job.PublishAsync(), job.PublishAsync(), job.PublishAsync());
            await job.WaitForAllEventsAsync(events, TimeSpan.FromSeconds(120));

            DeliveryCounts counts = await job.CountAsync(events, store, output, "2 workers, every message 3 times");
            counts.AssertNothingLostOrDoubled();
            // No crash here, so not even the rare republish: exactly one delivery per image and one completion.
            Assert.Equal((job.References.Count, 1), (counts.OutcomeDeliveries, counts.CompletionDeliveries));
            // Both took part, and between them stored each image once (each counts what its own write stored).
            using var http = new HttpClient();
            double[] stored = await Task.WhenAll(workers.Select(async w =>
                MetricsText.Value(await http.GetStringAsync(new Uri(w.TelemetryAddress, "/metrics")), "metaqap_images_scored_total")));
            output.WriteLine($"stored per worker: {string.Join(", ", stored)}");
            Assert.All(stored, s => Assert.True(s > 0, "One of the workers scored nothing; the test proves nothing."));
            Assert.Equal(job.References.Count, stored.Sum());
        }
        finally
        {
            foreach (WorkerProcess worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }
}
