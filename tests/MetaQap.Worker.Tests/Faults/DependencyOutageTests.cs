using System.Net;
using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Faults;

/// <summary>
/// PostgreSQL or RabbitMQ stopped in the middle of a job and started again a few seconds later (deploy/local/service.sh
/// on this checkout's own instances): /healthz says not ready while it is down, the batches in hand wait and retry,
/// and the job completes with every image stored once and published under one id.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class DependencyOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    [SkippableFact]
    public async Task PostgreSQL_stopped_and_restarted_mid_job_loses_nothing_and_healthz_is_not_ready_meanwhile()
    {
        LocalServices.Require();
        LocalServiceControl.Require(LocalServiceControl.Postgres);
        await RunThroughOutageAsync(LocalServiceControl.Postgres, durableEvents: false);
    }

    [SkippableFact]
    public async Task RabbitMQ_stopped_and_restarted_mid_job_loses_nothing_and_healthz_is_not_ready_meanwhile()
    {
        LocalServices.Require();
        LocalServiceControl.Require(LocalServiceControl.RabbitMq);
        // The subscriber's queue must outlive the broker restart, like any real subscriber's.
        await RunThroughOutageAsync(LocalServiceControl.RabbitMq, durableEvents: true);
    }

    private async Task RunThroughOutageAsync(string service, bool durableEvents)
    {
        using var root = new TempFolder();
        var job = new FaultJob(root, images: 160);
        Dictionary<string, string?> settings = WorkerHost.Settings(root.Path);
        settings["MetaQap:Batching:MaxBatchSize"] = "8";
        var slow = new TestScorerFactory(() => new SlowScorer(TimeSpan.FromMilliseconds(15)));
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(LocalServices.PostgresConnectionString!);
        var store = new JobStore(dataSource);
        await using EventRecorder events = await EventRecorder.StartAsync(durable: durableEvents);
        await using WorkerHost worker = await WorkerHost.StartAsync(settings, slow);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Uri healthz = new(worker.TelemetryAddress, "/healthz");

        await job.PublishAsync();
        await job.WaitForFinishedAsync(store, job.References.Count / 4, TimeSpan.FromSeconds(60));
        HttpStatusCode whileDown;
        string downBody;
        try
        {
            await LocalServiceControl.StopAsync(service);
            whileDown = await WaitForHealthAsync(http, healthz, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
            downBody = LastBody;
            await Task.Delay(Outage);
        }
        finally
        {
            await LocalServiceControl.StartAsync(service);
            // Connections pooled in this process before the restart are dead. The worker finds out by failing and
            // retrying; the test's own queries, and the next test's migration (DbUp pools by connection string,
            // process-wide), should not have to.
            NpgsqlConnection.ClearAllPools();
            dataSource.Clear();
        }

        HttpStatusCode afterwards = await WaitForHealthAsync(http, healthz, HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        await job.WaitForAllEventsAsync(events, TimeSpan.FromSeconds(120));

        output.WriteLine($"/healthz while {service} was down: {(int)whileDown} {downBody}; after it was back: {(int)afterwards}");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (whileDown, afterwards));
        DeliveryCounts counts = await job.CountAsync(events, store, output, $"{service} stopped for {Outage.TotalSeconds:0} s + restart mid-job");
        counts.AssertNothingLostOrDoubled();
        Assert.Equal(job.References.Count, counts.ScoredRows);
    }

    private static string LastBody { get; set; } = "";

    /// <summary>Polls /healthz until it answers <paramref name="wanted"/> (or time is up); returns the last answer.</summary>
    internal static async Task<HttpStatusCode> WaitForHealthAsync(HttpClient http, Uri healthz, HttpStatusCode wanted, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        HttpStatusCode last = 0;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync(healthz);
                last = response.StatusCode;
                LastBody = await response.Content.ReadAsStringAsync();
                if (last == wanted)
                {
                    return last;
                }
            }
            catch (TaskCanceledException)
            {
                // A health check that hangs on a dead dependency counts as not answering; try again.
            }

            await Task.Delay(250);
        }

        return last;
    }
}
