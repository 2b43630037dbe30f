using MetaQap.Contracts;
using MetaQap.Worker.Tests.Sources;
using MetaQap.Worker.Tests.Support;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Faults;

/// <summary>A source that accepts the request and never answers holds up its own batch until the timeout, and nothing else.</summary>
[Collection(ServicesCollection.Name)]
public sealed class SlowSourceTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_stalling_source_times_out_while_the_other_batches_are_scored()
    {
        LocalServices.Require();
        await using HostileInputs inputs = await HostileInputs.StartAsync();
        Dictionary<string, string?> settings = WorkerHost.Settings(inputs.Root.Path);
        foreach ((string key, string? value) in inputs.SourceSettings())
        {
            settings[key] = value;
        }

        settings["MetaQap:Batching:MaxBatchSize"] = "4";
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(settings);
        var jobId = Guid.NewGuid();
        // The stalling image first, so it lands in the first batch; 27 good ones behind it.
        ImageReference[] images =
        [
            new() { Id = "stalls", Uri = new Uri(inputs.Base, "/stall").AbsoluteUri },
            .. Enumerable.Range(0, 27).Select(i => new ImageReference { Id = $"ok-{i:D2}", Uri = "ok.png" }),
        ];

        await worker.Bus.Publish(new ScoreImages { JobId = jobId, Images = images });
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(60));

        IReadOnlyList<RecordedEvent> order = events.Deliveries(jobId);
        int stalledAt = order.ToList().FindIndex(e => e.Message is ImageScoringFailed { ImageId: "stalls" });
        int scoredBefore = order.Take(stalledAt).Count(e => e.Message is ImageScored);
        output.WriteLine($"{scoredBefore} of 27 good images were scored before the stalled one timed out ({HostileInputs.HttpTimeout.TotalSeconds:0} s)");
        Assert.Equal(FailureCode.FetchTimeout, Assert.Single(events.Failed(jobId)).Code);
        Assert.Equal((28, 27), (completed.TotalImages, completed.ScoredImages));
        // Its own batch (3 good images) waits for it; every other batch went past it.
        Assert.True(scoredBefore >= 24, $"Only {scoredBefore} images were scored before the stalled source timed out.");
    }
}
