using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using MassTransit.Testing;
using MetaQap.Components.Jobs;
using MetaQap.Components.Outcomes;
using MetaQap.Contracts;
using MetaQap.Modeling.Scoring;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Outcomes;

/// <summary>
/// The one outcome path against the real PostgreSQL (events on MassTransit's in-memory test harness): what it
/// publishes for a normal, a completing and a resumed batch, and how many database round trips each takes, counted as
/// Npgsql's command activities (one per command sent; a multi-statement command is one round trip).
/// </summary>
public sealed class JobOutcomesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly ImageScore AScore = new(50, new Dictionary<string, double>(), 0, []);
    private static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string> { ["team"] = "a" };
    // Created before the listener is added: a source created while listeners are being matched can be missed.
    private readonly ActivitySource _marker = new("MetaQap.Worker.Tests.RoundTrips");
    private readonly ConcurrentQueue<Activity> _commands = new();
    private ActivityListener? _listener;
    private IHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _listener?.Dispose();
        _marker.Dispose();
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    [SkippableFact]
    public async Task A_normal_batch_takes_two_round_trips_and_the_one_that_completes_its_job_three()
    {
        (JobStore store, JobOutcomes outcomes, ITestHarness harness) = await StartAsync();
        Guid jobId = await RecordAsync(store, 16);

        int first = await CountRoundTripsAsync(() => outcomes.FinishAsync(Work(jobId, Scored(jobId, 0, 8)), CancellationToken.None));
        int last = await CountRoundTripsAsync(() => outcomes.FinishAsync(Work(jobId, Scored(jobId, 8, 8)), CancellationToken.None));

        output.WriteLine($"round trips: normal batch {first}, completing batch {last}");
        Assert.Equal((2, 3), (first, last));
        Assert.Equal(16, await DeliveredAsync<ImageScored>(jobId, 16));
        Assert.Equal(1, await DeliveredAsync<ScoringJobCompleted>(jobId, 1));
        Assert.Equal("a", harness.Published.Select<ScoringJobCompleted>().Single(m => m.Context.Message.JobId == jobId).Context.Message.Tags["team"]);
        Assert.All(await store.GetResultsAsync(jobId, CancellationToken.None), r => Assert.Equal("Scored", r.Status));
    }

    [SkippableFact]
    public async Task A_resumed_batch_publishes_what_an_interrupted_attempt_stored_in_the_same_two_round_trips()
    {
        (JobStore store, JobOutcomes outcomes, _) = await StartAsync();
        Guid jobId = await RecordAsync(store, 16);
        // The interrupted attempt: half the batch stored, nothing published, nothing marked.
        await store.SaveResultsAsync(Scored(jobId, 0, 4), CancellationToken.None);

        ImageOutcome[] batch = Scored(jobId, 0, 8);
        FinishedWork resumed = Work(jobId, batch) with { Resumed = [.. batch.Select(o => (o.JobId, o.ImageId))], Redelivered = true };
        int trips = await CountRoundTripsAsync(() => outcomes.FinishAsync(resumed, CancellationToken.None));
        // Redelivered once more (a crash after the mark): nothing left to publish.
        await outcomes.FinishAsync(resumed, CancellationToken.None);

        output.WriteLine($"round trips: resumed batch {trips}");
        Assert.Equal(2, trips);
        Assert.Equal(8, await DeliveredAsync<ImageScored>(jobId, 8));
        Assert.Equal(0, EventCounter.Count<ScoringJobCompleted>(jobId));
    }

    [SkippableFact]
    public async Task A_redelivered_completion_that_was_never_published_goes_out_once()
    {
        (JobStore store, JobOutcomes outcomes, _) = await StartAsync();
        Guid jobId = await RecordAsync(store, 4);
        // The interrupted attempt stored every outcome and completed the job, then died before publishing.
        await store.SaveResultsAsync(Scored(jobId, 0, 4), CancellationToken.None);
        Assert.Single(await store.CompleteFinishedJobsAsync([jobId], CancellationToken.None));

        ImageOutcome[] batch = Scored(jobId, 0, 4);
        FinishedWork resumed = Work(jobId, batch) with { Resumed = [.. batch.Select(o => (o.JobId, o.ImageId))], Redelivered = true };
        int trips = await CountRoundTripsAsync(() => outcomes.FinishAsync(resumed, CancellationToken.None));
        await outcomes.FinishAsync(resumed, CancellationToken.None);

        Assert.Equal(3, trips);
        Assert.Equal(4, await DeliveredAsync<ImageScored>(jobId, 4));
        Assert.Equal(1, await DeliveredAsync<ScoringJobCompleted>(jobId, 1));
    }

    [SkippableFact]
    public async Task A_redelivered_new_job_publishes_the_failures_its_own_write_recorded_once()
    {
        (JobStore store, JobOutcomes outcomes, _) = await StartAsync();
        // As the new-job consumer does on a redelivery: its write records a failure (new now), and the same image is
        // among those whose earlier attempt may have left an outcome unpublished.
        var job = new NewJob(Guid.NewGuid(), 2, null, Tags, DateTimeOffset.UtcNow);
        RecordedImages recorded = await store.RecordAsync(job,
            [new NewImage("ok", "ok.png", null), new NewImage("bad", "ftp://x", new ImageFailure(FailureCode.InvalidReference, "ftp"))],
            CancellationToken.None);
        StoredOutcome failure = new(ImageOutcome.Failed(job.JobId, "bad", FailureCode.InvalidReference, "ftp"), job.EnqueuedAt, DateTimeOffset.UtcNow);
        Assert.Single(recorded.NewlyFailed);

        await outcomes.FinishAsync(new FinishedWork
        {
            Recorded = [failure],
            Resumed = [(job.JobId, "bad")],
            Redelivered = true,
            Jobs = [job.JobId],
            Tags = new Dictionary<Guid, IReadOnlyDictionary<string, string>> { [job.JobId] = Tags },
        }, CancellationToken.None);

        Assert.Equal(1, await DeliveredAsync<ImageScoringFailed>(job.JobId, 1));
    }

    private static FinishedWork Work(Guid jobId, IReadOnlyList<ImageOutcome> outcomes) => new()
    {
        Outcomes = outcomes,
        Jobs = [jobId],
        Tags = new Dictionary<Guid, IReadOnlyDictionary<string, string>> { [jobId] = Tags },
    };

    private static ImageOutcome[] Scored(Guid jobId, int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => ImageOutcome.Scored(jobId, $"img-{i:D2}", AScore, "v1"))];

    private static async Task<Guid> RecordAsync(JobStore store, int images)
    {
        var job = new NewJob(Guid.NewGuid(), images, null, Tags, DateTimeOffset.UtcNow);
        await store.RecordAsync(job, [.. Enumerable.Range(0, images).Select(i => new NewImage($"img-{i:D2}", $"f{i}.png", null))], CancellationToken.None);
        return job.JobId;
    }

    /// <summary>The number of commands sent to PostgreSQL while <paramref name="action"/> runs.</summary>
    private async Task<int> CountRoundTripsAsync(Func<Task> action)
    {
        _commands.Clear();
        ActivityTraceId trace;
        using (Activity marker = _marker.StartActivity("count round trips") ?? throw new InvalidOperationException("The marker is not listened to."))
        {
            trace = marker.TraceId;
            await action();
        }

        // Other test classes run in parallel in this process: only the commands of this action's trace count.
        Activity[] commands = [.. _commands.Where(c => c.TraceId == trace)];
        output.WriteLine(string.Join(" | ", commands.Select(c => c.DisplayName)));
        return commands.Length;
    }

    /// <summary>
    /// Waits (a little) for <paramref name="expected"/> deliveries of <typeparamref name="T"/> for the job, then a moment
    /// more for any copy, and counts them. Counted by <see cref="EventCounter"/>, a consumer: the harness's own lists
    /// keep one entry per message id, so a copy published under the same id would not show there.
    /// </summary>
    private static async Task<int> DeliveredAsync<T>(Guid jobId, int expected)
        where T : class
    {
        for (int i = 0; i < 50 && EventCounter.Count<T>(jobId) < expected; i++)
        {
            await Task.Delay(20);
        }

        await Task.Delay(300);
        return EventCounter.Count<T>(jobId);
    }

    /// <summary>Counts every delivery of the outcome events, per event type and job.</summary>
    public sealed class EventCounter : IConsumer<ImageScored>, IConsumer<ImageScoringFailed>, IConsumer<ScoringJobCompleted>
    {
        private static readonly ConcurrentDictionary<(Type, Guid), int> Deliveries = new();

        public static int Count<T>(Guid jobId) => Deliveries.GetValueOrDefault((typeof(T), jobId));

        public Task Consume(ConsumeContext<ImageScored> context) => Add<ImageScored>(context.Message.JobId);

        public Task Consume(ConsumeContext<ImageScoringFailed> context) => Add<ImageScoringFailed>(context.Message.JobId);

        public Task Consume(ConsumeContext<ScoringJobCompleted> context) => Add<ScoringJobCompleted>(context.Message.JobId);

        private static Task Add<T>(Guid jobId)
        {
            Deliveries.AddOrUpdate((typeof(T), jobId), 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    private async Task<(JobStore, JobOutcomes, ITestHarness)> StartAsync()
    {
        LocalServices.Require();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("MetaQap:Database:ConnectionString", LocalServices.PostgresConnectionString)]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMetaQapJobStore().AddMetaQapOutcomes();
        builder.Services.AddMassTransitTestHarness(bus => bus.AddConsumer<EventCounter>());
        _host = builder.Build();
        await _host.StartAsync();
        // Npgsql starts one activity per command it sends (its "Npgsql" source); counted only inside a marker
        // activity, so the migrations and the test's own set-up are not in it.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" || source == _marker,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql")
                {
                    _commands.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        return (_host.Services.GetRequiredService<JobStore>(), _host.Services.GetRequiredService<JobOutcomes>(),
            _host.Services.GetRequiredService<ITestHarness>());
    }
}
