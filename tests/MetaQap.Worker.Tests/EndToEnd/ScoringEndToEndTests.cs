using System.Globalization;
using MetaQap.Components.Jobs;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

[Collection(ServicesCollection.Name)]
public sealed class ScoringEndToEndTests
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task A_job_of_214_images_gets_exactly_one_outcome_per_image_and_completes_once()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        using var outside = new TempFolder();
        List<ExpectedImage> expected = [.. TestJobs.Graded(root, contents: 40), .. TestJobs.Troublemakers(root, outside)];
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var jobId = Guid.NewGuid();
        var tags = new Dictionary<string, string> { ["suite"] = "end-to-end" };

        // Two messages of one job, the second declaring nothing new: TotalImages keeps the job open until both land.
        ImageReference[] references = expected.Select(e => e.Reference).ToArray();
        await worker.Bus.Publish(new ScoreImages { JobId = jobId, Images = references[..100], TotalImages = references.Length, Tags = tags });
        await worker.Bus.Publish(new ScoreImages { JobId = jobId, Images = references[100..], TotalImages = references.Length, Tags = tags });
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, CompletionTimeout);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // room for any duplicate to show up

        IReadOnlyList<ImageScored> scored = events.Scored(jobId);
        IReadOnlyList<ImageScoringFailed> failed = events.Failed(jobId);
        Assert.Single(events.Completed(jobId));
        Assert.Equal(expected.Select(e => e.Reference.Id).Order(StringComparer.Ordinal),
            scored.Select(s => s.ImageId).Concat(failed.Select(f => f.ImageId)).Order(StringComparer.Ordinal));
        foreach (ExpectedImage image in expected.Where(e => e.Failure is not null))
        {
            ImageScoringFailed failure = Assert.Single(failed, f => f.ImageId == image.Reference.Id);
            Assert.True(image.Failure == failure.Code, $"{image.Reference.Id}: expected {image.Failure}, got {failure.Code} ({failure.Detail})");
        }

        Assert.Contains("SSRF", Assert.Single(failed, f => f.ImageId == "ssrf-loopback").Detail, StringComparison.Ordinal);
        Assert.All(scored, s => Assert.Equal(GradientSharpnessScorer.Version, s.ModelVersion));
        Assert.All(scored, s => Assert.Equal("end-to-end", s.Tags["suite"]));
        Assert.Equal(expected.Count, completed.TotalImages);
        Assert.Equal(scored.Count, completed.ScoredImages);
        Assert.Equal(failed.Count, completed.FailedImages);
        Assert.Equal(failed.GroupBy(f => f.Code.ToString()).ToDictionary(g => g.Key, g => g.Count()), completed.FailuresByCode);
        AssertSummaryMatches(scored.Select(s => s.Score).ToArray(), completed.Scores!);

        // Scores fall with the blur level on average.
        var byId = scored.ToDictionary(s => s.ImageId, s => s.Score);
        double[] meanPerLevel = TestJobs.BlurLevels
            .Select(level => expected.Where(e => e.BlurLevel == level).Average(e => byId[e.Reference.Id])).ToArray();
        for (int level = 1; level < meanPerLevel.Length; level++)
        {
            Assert.True(meanPerLevel[level] < meanPerLevel[level - 1],
                $"Mean score per level: {string.Join(", ", meanPerLevel.Select(m => m.ToString("F2", CultureInfo.InvariantCulture)))}");
        }

        // The database agrees with the events, row by row.
        JobStatus status = (await worker.Store.GetJobAsync(jobId, CancellationToken.None))!;
        Assert.Equal(("Completed", expected.Count, 0, scored.Count, failed.Count),
            (status.Status, status.RecordedImages, status.PendingImages, status.ScoredImages, status.FailedImages));
        IReadOnlyList<ImageResult> rows = await worker.Store.GetResultsAsync(jobId, CancellationToken.None);
        Assert.All(rows, row =>
        {
            if (row.Status == "Scored")
            {
                Assert.Equal(byId[row.ImageId], row.Score);
            }
            else
            {
                Assert.Equal(Assert.Single(failed, f => f.ImageId == row.ImageId).Code.ToString(), row.FailureCode);
            }
        });

        // The worker's own metrics count this job's images, and it reports itself healthy.
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri(worker.TelemetryAddress, "/metrics"));
        Assert.Equal(scored.Count, MetricsText.Value(metrics, "metaqap_images_scored_total"));
        Assert.Equal(1, MetricsText.Value(metrics, "metaqap_images_failed_total{code=\"Corrupt\"}"));
        Assert.Equal(5, MetricsText.Value(metrics, "metaqap_images_failed_total{code=\"AccessDenied\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, $"metaqap_model_info{{version=\"{GradientSharpnessScorer.Version}\"}}"));
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri(worker.TelemetryAddress, "/healthz")));
    }

    /// <summary>The summary's statistics are PostgreSQL's percentile_cont: linear interpolation at p·(n−1).</summary>
    private static void AssertSummaryMatches(double[] scores, ScoreDistribution summary)
    {
        Array.Sort(scores);
        double Percentile(double p)
        {
            double position = p * (scores.Length - 1);
            int below = (int)Math.Floor(position);
            int above = Math.Min(below + 1, scores.Length - 1);
            return scores[below] + ((position - below) * (scores[above] - scores[below]));
        }

        Assert.Equal(scores.Average(), summary.Mean, 9);
        Assert.Equal(scores[0], summary.Min, 9);
        Assert.Equal(scores[^1], summary.Max, 9);
        Assert.Equal(Percentile(0.10), summary.P10, 9);
        Assert.Equal(Percentile(0.25), summary.P25, 9);
        Assert.Equal(Percentile(0.50), summary.Median, 9);
        Assert.Equal(Percentile(0.75), summary.P75, 9);
        Assert.Equal(Percentile(0.90), summary.P90, 9);
    }
}
