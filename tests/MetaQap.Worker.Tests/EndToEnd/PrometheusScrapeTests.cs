using System.Globalization;
using System.Text.Json;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

[Collection(ServicesCollection.Name)]
public sealed class PrometheusScrapeTests
{
    [SkippableFact]
    public async Task Prometheus_scrapes_exactly_the_number_of_images_scored()
    {
        LocalServices.Require(prometheus: true);
        using var root = new TempFolder();
        List<ExpectedImage> images = TestJobs.Graded(root, contents: 6);
        images.Add(new ExpectedImage(new ImageReference { Id = "missing", Uri = "nope.png" }, null, FailureCode.NotFound));
        await using EventRecorder events = await EventRecorder.StartAsync();
        // The port the local Prometheus scrapes (deploy/local/prometheus.sh).
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path, LocalServices.MetricsPort));
        var jobId = Guid.NewGuid();

        await worker.Bus.Publish(new ScoreImages { JobId = jobId, Images = images.Select(i => i.Reference).ToList() });
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(60));

        Assert.Equal(images.Count - 1, completed.ScoredImages);
        double scraped = await WaitForPrometheusAsync("metaqap_images_scored_total", completed.ScoredImages, TimeSpan.FromSeconds(30));
        Assert.Equal(completed.ScoredImages, scraped);
        Assert.Equal(1, await WaitForPrometheusAsync("metaqap_images_failed_total{code=\"NotFound\"}", 1, TimeSpan.FromSeconds(10)));
    }

    /// <summary>Polls Prometheus' query API until the series has the expected value (it scrapes every second) or time runs out.</summary>
    private static async Task<double> WaitForPrometheusAsync(string query, double expected, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(LocalServices.PrometheusUrl!) };
        DateTime deadline = DateTime.UtcNow + timeout;
        double last = double.NaN;
        while (DateTime.UtcNow < deadline)
        {
            using JsonDocument answer = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/v1/query?query={Uri.EscapeDataString(query)}", UriKind.Relative)));
            JsonElement result = answer.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() > 0)
            {
                last = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                if (last == expected)
                {
                    return last;
                }
            }

            await Task.Delay(250);
        }

        return last;
    }
}
