using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Sources;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

/// <summary>
/// The hostile-input table as one job through the whole worker: each bad image fails alone with its code, the good
/// ones in the same batches are scored, the job completes once with matching counts, and what is stored about a
/// reference never includes the credentials or query it was sent with.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class HostileJobTests
{
    [SkippableFact]
    public async Task Every_hostile_input_fails_alone_with_its_code_while_the_rest_of_the_job_is_scored()
    {
        LocalServices.Require();
        await using HostileInputs inputs = await HostileInputs.StartAsync();
        Dictionary<string, string?> settings = WorkerHost.Settings(inputs.Root.Path);
        settings.Remove("MetaQap:Sources:AllowedHosts:0");
        settings.Remove("MetaQap:Sources:AllowedHosts:1");
        foreach ((string key, string? value) in inputs.SourceSettings())
        {
            settings[key] = value;
        }

        settings["MetaQap:Batching:MaxBatchSize"] = "8";
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(settings);
        var jobId = Guid.NewGuid();

        await worker.Bus.Publish(new ScoreImages { JobId = jobId, Images = inputs.Cases.Select(c => c.Reference).ToList() });
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1)); // room for a duplicate to show up

        var failed = events.Failed(jobId).ToDictionary(f => f.ImageId);
        var scored = events.Scored(jobId).ToDictionary(s => s.ImageId);
        var wrong = new List<string>();
        foreach (HostileCase c in inputs.Cases)
        {
            string got = failed.TryGetValue(c.Id, out ImageScoringFailed? f) ? f.Code.ToString() : scored.ContainsKey(c.Id) ? "Scored" : "nothing";
            if (got != (c.Failure?.ToString() ?? "Scored"))
            {
                wrong.Add($"{c.Id}: expected {c.Failure?.ToString() ?? "Scored"}, got {got}");
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(inputs.Cases.Count, failed.Count + scored.Count);
        Assert.Equal(inputs.Cases.Count, events.Deliveries(jobId).Count - 1);
        Assert.Single(events.Completed(jobId));
        Assert.Equal((inputs.Cases.Count, scored.Count, failed.Count), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));

        IReadOnlyList<ImageResult> rows = await worker.Store.GetResultsAsync(jobId, CancellationToken.None);
        Assert.Equal(inputs.Cases.Count, rows.Count);
        Assert.DoesNotContain(rows, r => r.Status == "Pending");
        ImageResult withCredentials = Assert.Single(rows, r => r.ImageId == "url-with-credentials");
        Assert.DoesNotContain("pw-in-url", withCredentials.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("token-in-query", withCredentials.Source, StringComparison.Ordinal);
        Assert.DoesNotContain(events.Failed(jobId), e => e.Detail.Contains("pw-in-url", StringComparison.Ordinal) || e.Detail.Contains("token-in-query", StringComparison.Ordinal));
        // A NUL in a reference is a failure of that image, stored, not a failed transaction for the whole message.
        Assert.Equal("InvalidReference", Assert.Single(rows, r => r.ImageId == "uri-with-nul").FailureCode);
    }

    [SkippableFact]
    public async Task A_job_with_no_images_completes_at_once_with_an_empty_summary()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var jobId = Guid.NewGuid();

        await worker.Bus.Publish(new ScoreImages { JobId = jobId, Images = [] });
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(30));

        Assert.Equal((0, 0, 0), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));
        Assert.Null(completed.Scores);
        Assert.Equal("Completed", (await worker.Store.GetJobAsync(jobId, CancellationToken.None))!.Status);
    }
}
