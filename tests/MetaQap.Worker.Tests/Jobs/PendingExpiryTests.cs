using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.Jobs;

/// <summary>
/// A job whose work items were lost (recorded, never scored: what an error queue after the retries leaves) completes
/// when its images pass the pending timeout, each failing with <see cref="FailureCode.Expired"/> once; recent pending
/// images are left alone.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class PendingExpiryTests
{
    [SkippableFact]
    public async Task Images_pending_past_the_timeout_fail_as_expired_and_their_job_completes_once()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        Dictionary<string, string?> settings = WorkerHost.Settings(root.Path);
        settings["MetaQap:Jobs:PendingTimeout"] = "01:00:00";
        settings["MetaQap:Jobs:SweepInterval"] = "00:00:00.200";
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(settings);
        Guid lost = Guid.NewGuid(), recent = Guid.NewGuid();
        var tags = new Dictionary<string, string> { ["batch"] = "expiry" };
        NewImage[] images = [new("a", "a.png", null), new("b", "b.png", null), new("c", "c.png", null)];

        // Recorded two hours ago, nothing ever queued: the work items are gone.
        await worker.Store.RecordAsync(new NewJob(lost, 3, null, tags, DateTimeOffset.UtcNow.AddHours(-2)), images, CancellationToken.None);
        await worker.Store.RecordAsync(new NewJob(recent, 3, null, tags, DateTimeOffset.UtcNow), images, CancellationToken.None);

        ScoringJobCompleted completed = await events.WaitForCompletionAsync(lost, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal((3, 0, 3), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));
        Assert.Equal(3, completed.FailuresByCode[nameof(FailureCode.Expired)]);
        Assert.Equal(tags, completed.Tags);
        Assert.Equal(["a", "b", "c"], events.Failed(lost).Select(e => e.ImageId).Order(StringComparer.Ordinal));
        Assert.All(events.Failed(lost), e => Assert.Equal(FailureCode.Expired, e.Code));
        Assert.Single(events.Completed(lost));
        JobStatus fresh = (await worker.Store.GetJobAsync(recent, CancellationToken.None))!;
        Assert.Equal(("Running", 3), (fresh.Status, fresh.PendingImages));
        Assert.Empty(events.Failed(recent));
    }
}
