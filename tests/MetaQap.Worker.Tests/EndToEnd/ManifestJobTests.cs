using System.Text.Json;
using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

/// <summary>A job sent as one <see cref="ScoreImages.ManifestUri"/> instead of a list of images.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ManifestJobTests
{
    [SkippableFact]
    public async Task A_manifest_larger_than_one_message_is_scored_once_per_image()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        List<ExpectedImage> images = TestJobs.Graded(root, contents: 6);
        File.WriteAllLines(root.Combine("job.jsonl"),
            images.Select(i => JsonSerializer.Serialize(new { id = i.Reference.Id, uri = i.Reference.Uri })));
        // Four images a chunk: the 30-image manifest is recorded in 8 chunks, as if it were 8 messages.
        var settings = WorkerHost.Settings(root.Path);
        settings["MetaQap:Batching:MaxImagesPerMessage"] = "4";
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(settings);
        var message = new ScoreImages { JobId = Guid.NewGuid(), ManifestUri = "job.jsonl" };

        await worker.Bus.Publish(message);
        await worker.Bus.Publish(message);
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(message.JobId, TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal((images.Count, images.Count, 0), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));
        Assert.Single(events.Completed(message.JobId));
        Assert.Equal(images.Count, events.Scored(message.JobId).Count);
        Assert.Equal(images.Select(i => i.Reference.Id).Order(), events.Scored(message.JobId).Select(s => s.ImageId).Order());
        JobStatus status = (await worker.Store.GetJobAsync(message.JobId, CancellationToken.None))!;
        Assert.Equal(("Completed", images.Count), (status.Status, status.ScoredImages));
    }
}
