using MetaQap.Components.Jobs;
using MetaQap.Contracts;
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
}
