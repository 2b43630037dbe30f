using System.Text;
using System.Text.Json.Nodes;
using MetaQap.Components.Scoring;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;
using MetaQap.Worker.Tests.Support;
using RabbitMQ.Client;

namespace MetaQap.Worker.Tests.EndToEnd;

/// <summary>
/// A producer that knows nothing of .NET or MassTransit: plain AMQP, a plain JSON body, the documented queue
/// (docs/contracts/README.md).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RawJsonProducerTests
{
    [SkippableFact]
    public async Task A_plain_json_message_on_the_documented_queue_is_scored()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        File.WriteAllBytes(root.Combine("photo.png"), ImageEncoder.EncodePng(SyntheticImages.Content(64, seed: 3)));
        string inline = Convert.ToBase64String(ImageEncoder.EncodePng(SyntheticImages.Content(64, seed: 4)));
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var jobId = Guid.NewGuid();
        string body = $$"""
            {
              "jobId": "{{jobId}}",
              "images": [
                { "id": "from-file", "uri": "photo.png" },
                { "id": "from-bytes", "base64": "{{inline}}" }
              ],
              "tags": { "producer": "python" }
            }
            """;

        await PublishRawAsync(body);
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(60));

        Assert.Equal((2, 2, 0), (completed.TotalImages, completed.ScoredImages, completed.FailedImages));
        Assert.Equal(["from-bytes", "from-file"], events.Scored(jobId).Select(s => s.ImageId).Order(StringComparer.Ordinal));
        Assert.Equal("python", completed.Tags["producer"]);
    }

    [SkippableFact]
    public async Task The_documented_example_is_accepted_as_written()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        JsonObject example = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", "examples", "score-images.json")))!.AsObject();
        // Only the job id changes, so that every run is a new job.
        var jobId = Guid.NewGuid();
        example["jobId"] = jobId.ToString();

        await PublishRawAsync(example.ToJsonString());
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(60));

        // Its file is outside this worker's roots and its host is not on the allow-list; its inline PNG scores.
        Assert.Equal(3, completed.TotalImages);
        Assert.Equal("upload-9", Assert.Single(events.Scored(jobId)).ImageId);
        Assert.All(events.Failed(jobId), f => Assert.Equal(FailureCode.AccessDenied, f.Code));
        Assert.Equal("ingest", completed.Tags["pipeline"]);
    }

    /// <summary>What any AMQP client does: default exchange, routing key = queue name, content type application/json.</summary>
    private static async Task PublishRawAsync(string json)
    {
        var factory = new ConnectionFactory { Uri = new Uri(LocalServices.RabbitMqUri!) };
        await using IConnection connection = await factory.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync(exchange: "", routingKey: ScoringQueues.ScoreImagesJson, mandatory: true, properties, Encoding.UTF8.GetBytes(json));
    }
}
