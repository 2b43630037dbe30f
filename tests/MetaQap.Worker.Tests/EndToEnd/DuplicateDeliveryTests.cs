using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

[Collection(ServicesCollection.Name)]
public sealed class DuplicateDeliveryTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task The_same_message_delivered_twice_changes_no_counts()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        List<ExpectedImage> images = TestJobs.Graded(root, contents: 5);
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var message = new ScoreImages { JobId = Guid.NewGuid(), Images = images.Select(i => i.Reference).ToList() };

        await worker.Bus.Publish(message);
        await worker.Bus.Publish(message);
        await events.WaitForCompletionAsync(message.JobId, TimeSpan.FromSeconds(60));
        await Task.Delay(Settle);

        Assert.Single(events.Completed(message.JobId));
        Assert.Equal(images.Count, events.Scored(message.JobId).Select(s => s.ImageId).Distinct().Count());
        Assert.Equal(images.Count, events.Scored(message.JobId).Count);
        JobStatus status = (await worker.Store.GetJobAsync(message.JobId, CancellationToken.None))!;
        Assert.Equal((images.Count, images.Count, 0), (status.RecordedImages, status.ScoredImages, status.FailedImages));
    }

    [SkippableFact]
    public async Task Submitting_a_completed_job_again_changes_nothing()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        List<ExpectedImage> images = TestJobs.Graded(root, contents: 3);
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var first = new ScoreImages { JobId = Guid.NewGuid(), Images = images.Select(i => i.Reference).ToList() };
        await worker.Bus.Publish(first);
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(first.JobId, TimeSpan.FromSeconds(60));

        // The same job again, this time with one more image: a completed job's summary is final.
        await worker.Bus.Publish(first);
        await worker.Bus.Publish(first with { Images = [.. first.Images, new ImageReference { Id = "late", Uri = images[0].Reference.Uri }] });
        await Task.Delay(Settle);

        Assert.Single(events.Completed(first.JobId));
        Assert.Equal(images.Count, events.Scored(first.JobId).Count);
        Assert.Empty(events.Failed(first.JobId));
        JobStatus status = (await worker.Store.GetJobAsync(first.JobId, CancellationToken.None))!;
        Assert.Equal(("Completed", images.Count, completed.ScoredImages), (status.Status, status.RecordedImages, status.ScoredImages));
    }

    /// <summary>
    /// A job in two messages that both name image "a", the second with a reference that does not parse, while "a" is
    /// still Pending from the first (the model is held on the first batch): "a" keeps its first item and is scored,
    /// "b" of the second message is queued at once, and the job completes. (The work item carries the parsed location;
    /// an id without one made the second message throw until "a" was no longer Pending.)
    /// </summary>
    [SkippableFact]
    public async Task An_image_pending_from_an_earlier_message_is_not_requeued_from_a_later_unusable_reference()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        File.WriteAllBytes(root.Combine("ok.png"), ImageEncoder.EncodePng(SyntheticImages.Content(48, seed: 5)));
        using var release = new ManualResetEventSlim();
        using var taken = new ManualResetEventSlim();
        var scorer = new TestScorerFactory(() => new HeldScorer(taken, release));
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path), scorer);
        var jobId = Guid.NewGuid();
        try
        {
            await worker.Bus.Publish(new ScoreImages { JobId = jobId, TotalImages = 2, Images = [new() { Id = "a", Uri = "ok.png" }] });
            Assert.True(taken.Wait(TimeSpan.FromSeconds(30)), "The first batch never reached the model.");
            await worker.Bus.Publish(new ScoreImages
            {
                JobId = jobId,
                TotalImages = 2,
                Images = [new() { Id = "a", Uri = "ftp://elsewhere/a.png" }, new() { Id = "b", Uri = "ok.png" }],
            });
            // "b" is fetched (its item was queued) while "a" is still held: the second message went through at once,
            // not after retries that succeed only once "a" is no longer Pending.
            Assert.True(await WaitForFetchesAsync(worker, 2), "The second message's image was not queued while the first was pending.");
        }
        finally
        {
            release.Set();
        }

        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.Equal((2, 2, 0), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));
    }

    /// <summary>
    /// A work item as the previous version queued it (message type <c>MetaQap.Worker.Scoring:ScoreImageItem</c>, the
    /// reference in <c>uri</c>), left in <c>score-image-items</c> across an upgrade, is consumed and scored.
    /// </summary>
    [SkippableFact]
    public async Task A_work_item_queued_by_the_previous_version_is_scored_after_an_upgrade()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        File.WriteAllBytes(root.Combine("ok.png"), ImageEncoder.EncodePng(SyntheticImages.Content(48, seed: 6)));
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var jobId = Guid.NewGuid();
        // The job is recorded as the new-job consumer of either version records it; its item is then queued by hand.
        await worker.Store.RecordAsync(new NewJob(jobId, 1, null, new Dictionary<string, string>(), DateTimeOffset.UtcNow),
            [new NewImage("a", "ok.png", null)], CancellationToken.None);
        string item = $$"""
            { "messageId": "{{Guid.NewGuid()}}", "messageType": [ "urn:message:MetaQap.Worker.Scoring:ScoreImageItem" ],
              "message": { "jobId": "{{jobId}}", "imageId": "a", "uri": "ok.png", "tags": {} } }
            """;
        await RawAmqp.PublishAsync(MetaQap.Components.Scoring.ScoringQueues.ScoreImageItems, System.Text.Encoding.UTF8.GetBytes(item),
            "application/vnd.masstransit+json");

        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(30));
        Assert.Equal((1, 1), (completed.TotalImages, completed.ScoredImages));
    }

    private static async Task<bool> WaitForFetchesAsync(WorkerHost worker, int fetches)
    {
        using var http = new HttpClient();
        for (int i = 0; i < 200; i++)
        {
            string metrics = await http.GetStringAsync(new Uri(worker.TelemetryAddress, "/metrics"));
            if (MetricsText.Value(metrics, "metaqap_stage_seconds_count{stage=\"fetch\"}") >= fetches)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>The test scorer, held on its first batch until released (at most 30 s).</summary>
    private sealed class HeldScorer(ManualResetEventSlim taken, ManualResetEventSlim release) : IQualityScorer
    {
        private readonly GradientSharpnessScorer _inner = new();

        public string ModelVersion => _inner.ModelVersion;

        public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
        {
            taken.Set();
            release.Wait(TimeSpan.FromSeconds(30), cancellationToken);
            return _inner.Score(images, cancellationToken);
        }
    }
}
