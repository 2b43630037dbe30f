using System.Diagnostics;
using System.Globalization;
using MetaQap.Components.Scoring;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Support;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Benchmarks;

/// <summary>
/// Measures the real pipeline (RabbitMQ, fetch + decode, the scorer, PostgreSQL, events) for several batching
/// settings; docs/worker.md records the numbers. Runs only when METAQAP_BENCH=1:
/// <c>METAQAP_BENCH=1 dotnet test tests/MetaQap.Worker.Tests -c Release --filter BatchingBenchmark --logger "console;verbosity=detailed"</c>.
/// With the test scorer by default; with METAQAP_BENCH_MODEL=models/default (a folder, relative to the repository)
/// the real ensemble scores (METAQAP_BENCH_THREADS torch threads, default 1), with fewer bulk images, a lighter
/// trickle (a single-image job every 200 ms, well under the model's capacity) and the grid of issue 7, item 4.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class BatchingBenchmark(ITestOutputHelper output)
{
    private static readonly string? Model = Environment.GetEnvironmentVariable("METAQAP_BENCH_MODEL");
    private static readonly int BulkImages = Model is null ? 600 : 400;
    private static readonly int TrickleImages = Model is null ? 120 : 40;
    private static readonly TimeSpan TrickleInterval = TimeSpan.FromMilliseconds(Model is null ? 25 : 200);

    private static readonly (int Size, int DelayMs)[] TestScorerGrid = [(1, 1), (8, 20), (16, 20), (16, 50), (32, 50), (64, 100)];

    private static readonly (int Size, int DelayMs)[] ModelGrid =
        [(1, 5), (4, 5), (4, 20), (8, 5), (8, 20), (8, 50), (16, 5), (16, 20), (16, 50), (32, 20), (32, 50)];

    [SkippableFact]
    public async Task Batching_settings_throughput_and_latency()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("METAQAP_BENCH") == "1", "Benchmark: set METAQAP_BENCH=1 to run it.");
        LocalServices.Require();
        using var root = new TempFolder();
        for (int i = 0; i < 60; i++)
        {
            File.WriteAllBytes(root.Combine($"b{i:D2}.jpg"), ImageEncoder.EncodeJpeg(SyntheticImages.Content(320, seed: i), 90));
        }

        output.WriteLine($"scorer: {Model ?? "test scorer"}; load {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine("batch  delay_ms  bulk_img_per_s  bulk_mean_batch  trickle_p50_ms  trickle_p95_ms  trickle_p99_ms  trickle_mean_batch  bulk_failed");
        foreach ((int size, int delayMs) in Model is null ? TestScorerGrid : ModelGrid)
        {
            Dictionary<string, string?> settings = WorkerHost.Settings(root.Path);
            IQualityScorerFactory? scorer = null;
            if (Model is not null)
            {
                settings["MetaQap:Model:Path"] = Path.Combine(RepositoryPaths.Root, Model);
                settings["MetaQap:Model:Threads"] = Environment.GetEnvironmentVariable("METAQAP_BENCH_THREADS") ?? "1";
                scorer = new EnsembleScorerFactory();
            }

            settings["MetaQap:Batching:MaxBatchSize"] = size.ToString(CultureInfo.InvariantCulture);
            settings["MetaQap:Batching:MaxBatchDelay"] = TimeSpan.FromMilliseconds(delayMs).ToString("c", CultureInfo.InvariantCulture);
            await using EventRecorder events = await EventRecorder.StartAsync();
            await using WorkerHost worker = await WorkerHost.StartAsync(settings, scorer);

            // Bulk: one job of many images, all queued at once.
            var bulk = new ScoreImages
            {
                JobId = Guid.NewGuid(),
                Images = Enumerable.Range(0, BulkImages).Select(i => new ImageReference { Id = $"i{i}", Uri = $"b{i % 60:D2}.jpg" }).ToList(),
            };
            var clock = Stopwatch.StartNew();
            await worker.Bus.Publish(bulk);
            ScoringJobCompleted done = await events.WaitForCompletionAsync(bulk.JobId, TimeSpan.FromMinutes(5));
            double throughput = BulkImages / clock.Elapsed.TotalSeconds;
            // Every image gets an outcome; a failure is reported in the table rather than stopping the benchmark.
            Assert.Equal(BulkImages, done.ScoredImages + done.FailedImages);
            (double bulkBatches, double bulkImages) = await BatchCountsAsync(worker);

            // Trickle: single-image jobs at a steady 40 per second, latency from publish to event.
            var sent = new Dictionary<Guid, long>();
            for (int i = 0; i < TrickleImages; i++)
            {
                var job = new ScoreImages { JobId = Guid.NewGuid(), Images = [new ImageReference { Id = "one", Uri = $"b{i % 60:D2}.jpg" }] };
                sent[job.JobId] = Stopwatch.GetTimestamp();
                await worker.Bus.Publish(job);
                await Task.Delay(TrickleInterval);
            }

            var latencies = new List<double>();
            foreach ((Guid jobId, long started) in sent)
            {
                await events.WaitForCompletionAsync(jobId, TimeSpan.FromMinutes(1));
            }

            foreach ((Guid jobId, long started) in sent)
            {
                latencies.Add((events.ScoredAt(jobId) - started) * 1000.0 / Stopwatch.Frequency);
            }

            latencies.Sort();
            (double allBatches, double allImages) = await BatchCountsAsync(worker);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size,5}  {delayMs,8}  {throughput,14:F0}  {bulkImages / bulkBatches,15:F1}  {latencies[latencies.Count / 2],14:F0}  {latencies[(int)(latencies.Count * 0.95)],14:F0}  {latencies[(int)(latencies.Count * 0.99)],14:F0}  {(allImages - bulkImages) / (allBatches - bulkBatches),18:F1}  {done.FailedImages,11}"));
        }
    }

    private static async Task<(double Batches, double Images)> BatchCountsAsync(WorkerHost worker)
    {
        using var http = new HttpClient();
        string text = await http.GetStringAsync(new Uri(worker.TelemetryAddress, "/metrics"));
        return (MetricsText.Value(text, "metaqap_batch_size_count"), MetricsText.Value(text, "metaqap_batch_size_sum"));
    }
}
