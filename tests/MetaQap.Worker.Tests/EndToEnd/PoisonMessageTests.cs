using System.Text;
using MetaQap.Components.Messaging;
using MetaQap.Components.Scoring;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;
using MetaQap.Worker.Tests.Support;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.EndToEnd;

/// <summary>
/// Messages the worker cannot use, published over plain AMQP to each of its queues: every one lands in the queue's
/// _error (or _skipped) queue with a readable reason, is counted in metaqap_poison_messages_total{queue}, and the
/// worker goes on to score the next good job.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class PoisonMessageTests(ITestOutputHelper output)
{
    private const string CaseHeader = "test-case";
    private const string Envelope = "application/vnd.masstransit+json";

    [SkippableFact]
    public async Task Poison_messages_go_to_the_error_queue_with_a_reason_and_the_worker_keeps_consuming()
    {
        LocalServices.Require();
        PoisonCase[] cases = Cases();
        string[] deadQueues = cases.Select(c => c.DeadQueue).Distinct().ToArray();
        await RawAmqp.PurgeAsync(deadQueues);
        using var root = new TempFolder();
        File.WriteAllBytes(root.Combine("after.png"), ImageEncoder.EncodePng(SyntheticImages.Content(64, seed: 5)));
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));

        foreach (PoisonCase c in cases)
        {
            await RawAmqp.PublishAsync(c.Queue, c.Body, c.ContentType, new Dictionary<string, object?> { [CaseHeader] = c.Name });
        }

        // The worker is still consuming: a good job after all of them is scored.
        var jobId = Guid.NewGuid();
        await RawAmqp.PublishJsonAsync($$"""{ "jobId": "{{jobId}}", "images": [ { "id": "after", "uri": "after.png" } ] }""");
        ScoringJobCompleted completed = await events.WaitForCompletionAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.Equal(1, completed.ScoredImages);

        Dictionary<string, AmqpMessage> dead = await CollectAsync(deadQueues, cases.Length, TimeSpan.FromSeconds(30));
        var wrong = new List<string>();
        foreach (PoisonCase c in cases)
        {
            if (!dead.TryGetValue(c.Name, out AmqpMessage? moved))
            {
                wrong.Add($"{c.Name} is in no dead-letter queue");
                continue;
            }

            string queue = moved.Header("test-dead-queue");
            string reason = moved.Header(PoisonMessagePolicy.ReasonHeader) is { Length: > 0 } ours ? ours : "MT-Reason: " + moved.Header("MT-Reason");
            output.WriteLine($"{c.Name} -> {queue}: {reason}");
            if (queue != c.DeadQueue || !reason.Contains(c.Reason, StringComparison.OrdinalIgnoreCase) || moved.Body.Length != c.Body.Length)
            {
                wrong.Add($"{c.Name}: in {queue} ({moved.Body.Length} of {c.Body.Length} bytes), reason \"{reason}\"; expected {c.DeadQueue} and \"{c.Reason}\"");
            }
        }

        Assert.Empty(wrong);

        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri(worker.TelemetryAddress, "/metrics"));
        foreach (string queue in new[] { ScoringQueues.ScoreImagesJson, ScoringQueues.ScoreImages, ScoringQueues.ScoreImageItems })
        {
            Assert.Equal(cases.Count(c => c.Queue == queue), MetricsText.Value(metrics, $"metaqap_poison_messages_total{{queue=\"{queue}\"}}"));
            Assert.Equal(0u, await RawAmqp.MessageCountAsync(queue));
        }
    }

    /// <summary>Reads the dead-letter queues until every case has arrived (they move asynchronously) or time is up.</summary>
    private static async Task<Dictionary<string, AmqpMessage>> CollectAsync(string[] queues, int expected, TimeSpan timeout)
    {
        var found = new Dictionary<string, AmqpMessage>(StringComparer.Ordinal);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (found.Count < expected && DateTime.UtcNow < deadline)
        {
            foreach (string queue in queues)
            {
                foreach (AmqpMessage message in await RawAmqp.DrainAsync(queue))
                {
                    var headers = new Dictionary<string, string>(message.Headers, StringComparer.Ordinal) { ["test-dead-queue"] = queue };
                    found[message.Header(CaseHeader)] = message with { Headers = headers };
                }
            }

            await Task.Delay(100);
        }

        return found;
    }

    private static PoisonCase[] Cases()
    {
        string job = Guid.NewGuid().ToString();
        string image = """{ "id": "a", "uri": "a.png" }""";
        string tooLong = new('x', 201);
        string tenMegabytes = new('A', 10 * 1024 * 1024);
        string thousandAndOne = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{ "id": "i{{i}}", "uri": "a.png" }"""));
        const string ScoreImagesType = "urn:message:MetaQap.Contracts:ScoreImages";
        const string ItemType = "urn:message:MetaQap.Worker.Scoring:ScoreImageItem";
        static string Wrapped(string type, string message) => $$"""{ "messageId": "{{Guid.NewGuid()}}", "messageType": [ "{{type}}" ], "message": {{message}} }""";

        return
        [
            // The plain-JSON queue: any producer's mistakes.
            Json("json-malformed", """{ "jobId": "0c6f""", "JsonException"),
            Json("json-not-json", "this is not json", "invalid JSON literal"),
            Json("json-empty-body", "", "missing required properties"),
            Json("json-array", "[1, 2, 3]", "could not be converted"),
            Json("json-jobid-number", $$"""{ "jobId": 42, "images": [ {{image}} ] }""", "could not be converted"),
            Json("json-images-string", $$"""{ "jobId": "{{job}}", "images": "a.png" }""", "could not be converted"),
            Json("json-missing-jobid", $$"""{ "images": [ {{image}} ] }""", "jobId"),
            Json("json-missing-images", $$"""{ "jobId": "{{job}}" }""", "images"),
            Json("json-empty-jobid", $$"""{ "jobId": "00000000-0000-0000-0000-000000000000", "images": [ {{image}} ] }""", "jobId is missing or empty"),
            Json("json-image-without-id", $$"""{ "jobId": "{{job}}", "images": [ { "uri": "a.png" } ] }""", "id"),
            Json("json-id-too-long", $$"""{ "jobId": "{{job}}", "images": [ { "id": "{{tooLong}}", "uri": "a.png" } ] }""", "1 to 200 characters"),
            Json("json-id-with-nul", $$"""{ "jobId": "{{job}}", "images": [ { "id": "a\u0000b", "uri": "a.png" } ] }""", "NUL"),
            Json("json-tag-with-nul", $$"""{ "jobId": "{{job}}", "images": [ {{image}} ], "tags": { "k": "v\u0000" } }""", "NUL"),
            Json("json-1001-images", $$"""{ "jobId": "{{job}}", "images": [ {{thousandAndOne}} ] }""", "over the limit of 1000"),
            Json("json-total-below-count", $$"""{ "jobId": "{{job}}", "images": [ {{image}}, { "id": "b", "uri": "b.png" } ], "totalImages": 1 }""", "totalImages"),
            Json("json-10-mb", $$"""{ "jobId": "{{job}}", "images": [ {{image}} ], "tags": { "padding": "{{tenMegabytes}}" } }""", "over the limit"),
            // The MassTransit queue: envelopes that are broken, or carry a broken message.
            new("envelope-malformed", ScoringQueues.ScoreImages, Envelope, Bytes("""{ "messageType": [ """), "JsonException"),
            new("envelope-wrong-types", ScoringQueues.ScoreImages, Envelope,
                Bytes(Wrapped(ScoreImagesType, """{ "jobId": 42, "images": [] }""")), "could not be converted"),
            new("envelope-missing-fields", ScoringQueues.ScoreImages, Envelope,
                Bytes(Wrapped(ScoreImagesType, """{ "tags": {} }""")), "missing required properties"),
            new("envelope-10-mb", ScoringQueues.ScoreImages, Envelope,
                Bytes(Wrapped(ScoreImagesType, $$"""{ "jobId": "{{job}}", "images": [ {{image}} ], "tags": { "padding": "{{tenMegabytes}}" } }""")), "over the limit"),
            new("envelope-unknown-content-type", ScoringQueues.ScoreImages, "text/plain", Bytes("hello"), "invalid start of a value"),
            new("envelope-other-message-type", ScoringQueues.ScoreImages, Envelope,
                Bytes(Wrapped("urn:message:Somebody:Else", "{}")), "no consumer on score-images takes message type urn:message:Somebody:Else", ScoringQueues.ScoreImages + "_skipped"),
            // The internal work queue: nobody should publish there, but a broken item must not stop the batches.
            new("item-malformed", ScoringQueues.ScoreImageItems, Envelope, Bytes("{ nope"), "invalid start of a property name"),
            new("item-wrong-types", ScoringQueues.ScoreImageItems, Envelope,
                Bytes(Wrapped(ItemType, """{ "jobId": "x", "imageId": 3 }""")), "could not be converted"),
            new("item-10-mb", ScoringQueues.ScoreImageItems, Envelope,
                Bytes(Wrapped(ItemType, $$"""{ "jobId": "{{job}}", "imageId": "a", "base64": "{{tenMegabytes}}" }""")), "over the limit"),
        ];
    }

    private static PoisonCase Json(string name, string body, string reason) =>
        new(name, ScoringQueues.ScoreImagesJson, "application/json", Bytes(body), reason);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private sealed record PoisonCase(string Name, string Queue, string ContentType, byte[] Body, string Reason, string? SkippedQueue = null)
    {
        public string DeadQueue => SkippedQueue ?? Queue + "_error";
    }
}
