using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Modeling.Scoring;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaQap.Worker.Tests.Jobs;

/// <summary>The job store's idempotency and exactly-once completion, against the real PostgreSQL.</summary>
public sealed class JobStoreTests : IAsyncLifetime
{
    private static readonly ImageScore AScore = new(50, new Dictionary<string, double>(), 0, []);
    private IHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    [SkippableFact]
    public async Task A_job_completes_exactly_once_when_many_batches_finish_at_the_same_time()
    {
        JobStore store = await StartStoreAsync();
        for (int round = 0; round < 5; round++)
        {
            Guid jobId = await RecordAsync(store, Enumerable.Range(0, 40).Select(i => $"img-{i}").ToArray());
            IEnumerable<Task<IReadOnlyList<JobSummary>>> batches = Enumerable.Range(0, 8).Select(async b =>
            {
                ImageOutcome[] outcomes = Enumerable.Range(b * 5, 5).Select(i => ImageOutcome.Scored(jobId, $"img-{i}", AScore, "v1")).ToArray();
                await store.SaveResultsAsync(outcomes, CancellationToken.None);
                return await store.CompleteFinishedJobsAsync([jobId], CancellationToken.None);
            });
            IReadOnlyList<JobSummary>[] completions = await Task.WhenAll(batches);
            IReadOnlyList<JobSummary>[] late = await Task.WhenAll(Enumerable.Range(0, 8)
                .Select(_ => store.CompleteFinishedJobsAsync([jobId], CancellationToken.None)));

            JobSummary completed = Assert.Single(completions.Concat(late).SelectMany(c => c));
            Assert.Equal((40, 40, 0), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));
        }
    }

    [SkippableFact]
    public async Task Recording_a_message_twice_records_its_images_once_but_hands_back_the_pending_work_again()
    {
        JobStore store = await StartStoreAsync();
        var job = new NewJob(Guid.NewGuid(), 3, null, new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        NewImage[] images =
        [
            new("a", "a.png", null),
            new("b", "b.png", null),
            new("bad", "ftp://x", new ImageFailure(FailureCode.InvalidReference, "ftp")),
        ];

        RecordedImages first = await store.RecordAsync(job, images, CancellationToken.None);
        RecordedImages second = await store.RecordAsync(job, images, CancellationToken.None);

        Assert.Equal(["a", "b"], first.PendingImageIds.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b"], second.PendingImageIds.Order(StringComparer.Ordinal));
        Assert.Equal("bad", Assert.Single(first.NewlyFailed).ImageId);
        Assert.Empty(second.NewlyFailed);
        Assert.Equal(3, (await store.GetJobAsync(job.JobId, CancellationToken.None))!.RecordedImages);
    }

    [SkippableFact]
    public async Task A_result_already_stored_is_neither_overwritten_nor_returned_again()
    {
        JobStore store = await StartStoreAsync();
        Guid jobId = await RecordAsync(store, "a");

        IReadOnlyList<StoredOutcome> first = await store.SaveResultsAsync([ImageOutcome.Scored(jobId, "a", AScore, "v1")], CancellationToken.None);
        IReadOnlyList<StoredOutcome> again = await store.SaveResultsAsync([ImageOutcome.Failed(jobId, "a", FailureCode.Corrupt, "late")], CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(again);
        Assert.Equal("Scored", Assert.Single(await store.GetResultsAsync(jobId, CancellationToken.None)).Status);
    }

    [SkippableFact]
    public async Task A_job_split_over_messages_waits_for_all_of_them_before_completing()
    {
        JobStore store = await StartStoreAsync();
        var jobId = Guid.NewGuid();
        NewJob Part() => new(jobId, ExpectedImages: 4, null, new Dictionary<string, string>(), DateTimeOffset.UtcNow);

        await store.RecordAsync(Part(), [new("a", "a", null), new("b", "b", null)], CancellationToken.None);
        await store.SaveResultsAsync([ImageOutcome.Scored(jobId, "a", AScore, "v1"), ImageOutcome.Scored(jobId, "b", AScore, "v1")], CancellationToken.None);
        IReadOnlyList<JobSummary> early = await store.CompleteFinishedJobsAsync([jobId], CancellationToken.None);
        await store.RecordAsync(Part(), [new("c", "c", null), new("d", "d", new ImageFailure(FailureCode.NotFound, "gone"))], CancellationToken.None);
        await store.SaveResultsAsync([ImageOutcome.Scored(jobId, "c", AScore, "v1")], CancellationToken.None);
        IReadOnlyList<JobSummary> done = await store.CompleteFinishedJobsAsync([jobId], CancellationToken.None);

        Assert.Empty(early);
        JobSummary completed = Assert.Single(done);
        Assert.Equal((4, 3, 1), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));
        Assert.Equal(1, completed.FailuresByCode["NotFound"]);
        Assert.Equal(50, completed.Scores!.Median);
    }

    private static async Task<Guid> RecordAsync(JobStore store, params string[] imageIds)
    {
        var job = new NewJob(Guid.NewGuid(), imageIds.Length, null, new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        await store.RecordAsync(job, imageIds.Select(id => new NewImage(id, id, null)).ToArray(), CancellationToken.None);
        return job.JobId;
    }

    /// <summary>Just the job store (and its migrations), started the way the worker starts it.</summary>
    private async Task<JobStore> StartStoreAsync()
    {
        LocalServices.Require();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("MetaQap:Database:ConnectionString", LocalServices.PostgresConnectionString)]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMetaQapJobStore();
        _host = builder.Build();
        await _host.StartAsync();
        return _host.Services.GetRequiredService<JobStore>();
    }
}
