using System.Globalization;
using System.Text.Json;
using MetaQap.Components.Jobs;
using MetaQap.Components.Messaging;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Support;

/// <summary>What a faulted run left behind: stored rows and delivered events, counted for the exactly-once checks.</summary>
internal sealed record DeliveryCounts(int Images, int Rows, int PendingRows, int ScoredRows, int FailedRows, int ImagesWithEvent,
    int OutcomeDeliveries, int ImagesWithForeignIds, int CompletionDeliveries, int DistinctCompletionIds, string JobStatus)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"images {Images}: rows {Rows} (pending {PendingRows}, scored {ScoredRows}, failed {FailedRows}); images with an event {ImagesWithEvent}, " +
        $"outcome deliveries {OutcomeDeliveries} (duplicates {OutcomeDeliveries - ImagesWithEvent}), images with a non-stable id {ImagesWithForeignIds}; " +
        $"completion deliveries {CompletionDeliveries}, distinct completion ids {DistinctCompletionIds}; job {JobStatus}");

    /// <summary>Every image one row and at least one event, all of an image's deliveries one stable id; one completion.</summary>
    public void AssertNothingLostOrDoubled()
    {
        Assert.Equal((Images, 0, Images), (Rows, PendingRows, ScoredRows + FailedRows));
        Assert.Equal(Images, ImagesWithEvent);
        Assert.Equal(0, ImagesWithForeignIds);
        Assert.Equal(1, DistinctCompletionIds);
        Assert.Equal("Completed", JobStatus);
    }
}

/// <summary>
/// A large job made cheaply for fault tests: a few distinct PNGs in a file root, referenced many times under
/// distinct image ids, published as plain JSON (so no bus is needed in the test process).
/// </summary>
internal sealed class FaultJob
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="side">The images' side: larger ones take longer to decode, for a test that needs a slow worker.</param>
    public FaultJob(TempFolder root, int images, int distinctFiles = 16, int side = 96)
    {
        for (int f = 0; f < distinctFiles; f++)
        {
            File.WriteAllBytes(root.Combine($"f{f:D2}.png"), ImageEncoder.EncodePng(SyntheticImages.Content(side, seed: 300 + f)));
        }

        References = Enumerable.Range(0, images)
            .Select(i => new ImageReference { Id = $"img-{i:D4}", Uri = $"f{i % distinctFiles:D2}.png" })
            .ToList();
    }

    public Guid JobId { get; } = Guid.NewGuid();

    public IReadOnlyList<ImageReference> References { get; }

    public Task PublishAsync() =>
        RawAmqp.PublishJsonAsync(JsonSerializer.Serialize(new ScoreImages { JobId = JobId, Images = References }, Json));

    /// <summary>Polls the job's stored results until at least <paramref name="finished"/> are no longer pending.</summary>
    public async Task WaitForFinishedAsync(JobStore store, int finished, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await store.GetJobAsync(JobId, CancellationToken.None) is { } job && job.ScoredImages + job.FailedImages >= finished)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Fewer than {finished} images of job {JobId} finished within {timeout}.");
    }

    /// <summary>
    /// Waits for the completion and for an event of every image (a republished one may follow the completion by
    /// a retry interval), then a moment more for any duplicate to show up.
    /// </summary>
    public async Task WaitForAllEventsAsync(EventRecorder events, TimeSpan timeout)
    {
        await events.WaitForCompletionAsync(JobId, timeout);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline
            && events.Scored(JobId).Select(s => s.ImageId).Concat(events.Failed(JobId).Select(f => f.ImageId)).Distinct().Count() < References.Count)
        {
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
    }

    public async Task<DeliveryCounts> CountAsync(EventRecorder events, JobStore store, ITestOutputHelper output, string label)
    {
        IReadOnlyList<ImageResult> rows = await store.GetResultsAsync(JobId, CancellationToken.None);
        IReadOnlyList<RecordedEvent> deliveries = events.Deliveries(JobId);
        var outcomes = deliveries.Select(d => d.Message switch
        {
            ImageScored s => (Image: s.ImageId, Id: d.MessageId),
            ImageScoringFailed f => (Image: f.ImageId, Id: d.MessageId),
            _ => (Image: (string?)null, Id: d.MessageId),
        }).Where(o => o.Image is not null).ToList();
        var completions = deliveries.Where(d => d.Message is ScoringJobCompleted).ToList();
        var counts = new DeliveryCounts(
            References.Count,
            rows.Count,
            rows.Count(r => r.Status == "Pending"),
            rows.Count(r => r.Status == "Scored"),
            rows.Count(r => r.Status == "Failed"),
            outcomes.Select(o => o.Image).Distinct().Count(),
            outcomes.Count,
            outcomes.Where(o => o.Id != EventIds.ForImage(JobId, o.Image!)).Select(o => o.Image).Distinct().Count(),
            completions.Count,
            completions.Select(c => c.MessageId).Distinct().Count(),
            (await store.GetJobAsync(JobId, CancellationToken.None))?.Status ?? "missing");
        output.WriteLine($"{label}: {counts}");
        return counts;
    }
}
