using System.Collections.Concurrent;
using System.Text.Json;
using MetaQap.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// Subscribes to the worker's events the way a non-.NET subscriber would (docs/contracts/README.md): plain AMQP,
/// its own exclusive queue bound to the fanout exchange of each event type, MassTransit's JSON envelope read by
/// hand. Everything received is kept, so tests can count duplicates.
/// </summary>
internal sealed class EventRecorder : IAsyncDisposable
{
    public static readonly string[] Exchanges =
        ["MetaQap.Contracts:ImageScored", "MetaQap.Contracts:ImageScoringFailed", "MetaQap.Contracts:ScoringJobCompleted"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<object> _events = new();
    private readonly ConcurrentDictionary<Guid, long> _firstScoredAt = new();

    private EventRecorder(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<EventRecorder> StartAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(LocalServices.RabbitMqUri!) };
        IConnection connection = await factory.CreateConnectionAsync();
        IChannel channel = await connection.CreateChannelAsync();
        var recorder = new EventRecorder(connection, channel);
        QueueDeclareOk queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        foreach (string exchange in Exchanges)
        {
            // Declared as MassTransit declares it (durable fanout), so whichever side comes first creates it.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: "");
        }

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            recorder.Record(delivery.Body.Span);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return recorder;
    }

    public IReadOnlyList<ImageScored> Scored(Guid jobId) => _events.OfType<ImageScored>().Where(e => e.JobId == jobId).ToList();

    public IReadOnlyList<ImageScoringFailed> Failed(Guid jobId) => _events.OfType<ImageScoringFailed>().Where(e => e.JobId == jobId).ToList();

    public IReadOnlyList<ScoringJobCompleted> Completed(Guid jobId) => _events.OfType<ScoringJobCompleted>().Where(e => e.JobId == jobId).ToList();

    /// <summary>When (Stopwatch timestamp) the first ImageScored of the job arrived here.</summary>
    public long ScoredAt(Guid jobId) => _firstScoredAt[jobId];

    public async Task<ScoringJobCompleted> WaitForCompletionAsync(Guid jobId, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Completed(jobId) is [var first, ..])
            {
                return first;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Job {jobId} did not complete within {timeout}: {Scored(jobId).Count} scored and {Failed(jobId).Count} failed events so far.");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }

    private void Record(ReadOnlySpan<byte> body)
    {
        using JsonDocument envelope = JsonDocument.Parse(body.ToArray());
        string[] types = envelope.RootElement.GetProperty("messageType").EnumerateArray().Select(t => t.GetString()!).ToArray();
        JsonElement message = envelope.RootElement.GetProperty("message");
        object? parsed = types switch
        {
            _ when types.Contains("urn:message:MetaQap.Contracts:ImageScored") => message.Deserialize<ImageScored>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:ImageScoringFailed") => message.Deserialize<ImageScoringFailed>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:ScoringJobCompleted") => message.Deserialize<ScoringJobCompleted>(Json),
            _ => null,
        };
        if (parsed is ImageScored scored)
        {
            _firstScoredAt.TryAdd(scored.JobId, System.Diagnostics.Stopwatch.GetTimestamp());
        }

        if (parsed is not null)
        {
            _events.Enqueue(parsed);
        }
    }
}
