using System.Collections.Concurrent;
using System.Text.Json;
using MetaQap.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MetaQap.Worker.Tests.Support;

/// <summary>An event as delivered: its envelope's message id and the parsed message.</summary>
internal sealed record RecordedEvent(Guid MessageId, object Message);

/// <summary>
/// Subscribes to the worker's events the way a non-.NET subscriber would (docs/contracts/README.md): plain AMQP,
/// its own queue bound to the fanout exchange of each event type, MassTransit's JSON envelope read by hand.
/// Everything received is kept, with its message id, so tests can count duplicates. By default the queue is
/// exclusive (gone with the connection); a durable one, with the client's automatic recovery, survives a broker
/// restart and is deleted on dispose.
/// </summary>
internal sealed class EventRecorder : IAsyncDisposable
{
    public static readonly string[] Exchanges =
    [
        "MetaQap.Contracts:ImageScored", "MetaQap.Contracts:ImageScoringFailed", "MetaQap.Contracts:ScoringJobCompleted",
        "MetaQap.Contracts:TrainingProgressed", "MetaQap.Contracts:TrainingCompleted", "MetaQap.Contracts:TrainingFailed",
        "MetaQap.Contracts:EnsemblePromoted", "MetaQap.Contracts:EnsemblePromotionRejected",
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<RecordedEvent> _events = new();
    private readonly ConcurrentDictionary<Guid, long> _firstScoredAt = new();

    private readonly string? _durableQueue;

    private EventRecorder(IConnection connection, IChannel channel, string? durableQueue)
    {
        _connection = connection;
        _channel = channel;
        _durableQueue = durableQueue;
    }

    public static async Task<EventRecorder> StartAsync(bool durable = false)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(LocalServices.RabbitMqUri!),
            AutomaticRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        };
        IConnection connection = await factory.CreateConnectionAsync();
        IChannel channel = await connection.CreateChannelAsync();
        string? durableQueue = durable ? $"metaqap-tests-events-{Guid.NewGuid():N}" : null;
        var recorder = new EventRecorder(connection, channel, durableQueue);
        QueueDeclareOk queue = durableQueue is null
            ? await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)
            : await channel.QueueDeclareAsync(durableQueue, durable: true, exclusive: false, autoDelete: false);
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

    public IReadOnlyList<ImageScored> Scored(Guid jobId) => Messages.OfType<ImageScored>().Where(e => e.JobId == jobId).ToList();

    public IReadOnlyList<ImageScoringFailed> Failed(Guid jobId) => Messages.OfType<ImageScoringFailed>().Where(e => e.JobId == jobId).ToList();

    public IReadOnlyList<ScoringJobCompleted> Completed(Guid jobId) => Messages.OfType<ScoringJobCompleted>().Where(e => e.JobId == jobId).ToList();

    /// <summary>Every delivery of the job's events (duplicates included), with message ids.</summary>
    public IReadOnlyList<RecordedEvent> Deliveries(Guid jobId) => _events.Where(e => e.Message switch
    {
        ImageScored m => m.JobId == jobId,
        ImageScoringFailed m => m.JobId == jobId,
        ScoringJobCompleted m => m.JobId == jobId,
        _ => false,
    }).ToList();

    private IEnumerable<object> Messages => _events.Select(e => e.Message);

    /// <summary>Every event of type <typeparamref name="T"/> received so far, in arrival order.</summary>
    public IReadOnlyList<T> All<T>() => Messages.OfType<T>().ToList();

    /// <summary>The first event of type <typeparamref name="T"/> that matches, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Messages.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {typeof(T).Name} ({what}) within {timeout}; received: "
            + string.Join(", ", Messages.Select(m => m.GetType().Name).GroupBy(n => n).Select(g => $"{g.Key}×{g.Count()}")));
    }

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
        if (_durableQueue is not null)
        {
            await _channel.QueueDeleteAsync(_durableQueue);
        }

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
        Guid messageId = envelope.RootElement.TryGetProperty("messageId", out JsonElement id) && id.TryGetGuid(out Guid parsedId) ? parsedId : Guid.Empty;
        object? parsed = types switch
        {
            _ when types.Contains("urn:message:MetaQap.Contracts:ImageScored") => message.Deserialize<ImageScored>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:ImageScoringFailed") => message.Deserialize<ImageScoringFailed>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:ScoringJobCompleted") => message.Deserialize<ScoringJobCompleted>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:TrainingProgressed") => message.Deserialize<TrainingProgressed>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:TrainingCompleted") => message.Deserialize<TrainingCompleted>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:TrainingFailed") => message.Deserialize<TrainingFailed>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:EnsemblePromoted") => message.Deserialize<EnsemblePromoted>(Json),
            _ when types.Contains("urn:message:MetaQap.Contracts:EnsemblePromotionRejected") => message.Deserialize<EnsemblePromotionRejected>(Json),
            _ => null,
        };
        if (parsed is ImageScored scored)
        {
            _firstScoredAt.TryAdd(scored.JobId, System.Diagnostics.Stopwatch.GetTimestamp());
        }

        if (parsed is not null)
        {
            _events.Enqueue(new RecordedEvent(messageId, parsed));
        }
    }
}
