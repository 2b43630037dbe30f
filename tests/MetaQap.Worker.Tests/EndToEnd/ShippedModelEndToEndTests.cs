using System.Globalization;
using MetaQap.Components.Scoring;
using MetaQap.Contracts;
using MetaQap.Imaging.Pristine;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

/// <summary>The service as shipped: the worker loads models/default through its real scorer factory.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ShippedModelEndToEndTests
{
    private static readonly string DefaultModel = Path.Combine(RepositoryPaths.Root, "models", "default");

    [SkippableFact]
    public async Task The_default_ensemble_scores_a_job_and_its_scores_fall_with_blur()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        // Dead-leaves scenes of a seed the recipe never used: content of the kind the model was pretrained on (the
        // test's own rectangles-and-gratings pictures are far outside it, and it scores them all near 0).
        var scenes = new DeadLeavesSource(8, baseSeed: 424242);
        List<ExpectedImage> images = TestJobs.Graded(root, contents: 8, size: 256, content: c => scenes.Sample(c, 256, seed: c).Image);
        Dictionary<string, string?> settings = WorkerHost.Settings(root.Path);
        settings["MetaQap:Model:Path"] = DefaultModel;
        settings["MetaQap:Model:Threads"] = "2";
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(settings, new EnsembleScorerFactory());
        var jobId = Guid.NewGuid();

        await worker.Bus.Publish(new ScoreImages { JobId = jobId, Images = images.Select(i => i.Reference).ToList() });
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(120));

        Assert.Equal((images.Count, 0), (completed.ScoredImages, completed.FailedImages));
        IReadOnlyList<ImageScored> scored = events.Scored(jobId);
        string version = Assert.Single(scored.Select(s => s.ModelVersion).Distinct());
        Assert.StartsWith("default-", version, StringComparison.Ordinal);
        Assert.All(scored, s => Assert.InRange(s.Score, 0, 100));
        Assert.All(scored, s => Assert.NotEmpty(s.BaseScores));
        var byId = scored.ToDictionary(s => s.ImageId, s => s.Score);
        double[] meanPerLevel = TestJobs.BlurLevels
            .Select(level => images.Where(i => i.BlurLevel == level).Average(i => byId[i.Reference.Id])).ToArray();
        string means = string.Join(", ", meanPerLevel.Select(m => m.ToString("F1", CultureInfo.InvariantCulture)));
        // Sigma 0.5 px (level 2) is barely visible, so only the pristine-vs-heavy order and the trend are required.
        Assert.True(meanPerLevel[0] > meanPerLevel[^1] + 10, $"Mean score per blur level: {means}");
        for (int level = 2; level < meanPerLevel.Length; level++)
        {
            Assert.True(meanPerLevel[level] < meanPerLevel[level - 1], $"Mean score per blur level: {means}");
        }
    }
}
