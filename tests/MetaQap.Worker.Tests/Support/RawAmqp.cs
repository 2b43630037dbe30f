using System.Globalization;
using System.Text;
using MetaQap.Components.Scoring;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MetaQap.Worker.Tests.Support;

/// <summary>A message read back from a queue: its body and its headers as text.</summary>
internal sealed record AmqpMessage(byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) => Headers.TryGetValue(name, out string? value) ? value : "";
}

/// <summary>
/// Plain AMQP, as any producer or operator tool uses it: publish a body to a queue through the default exchange,
/// read a queue empty, purge. Nothing of MassTransit.
/// </summary>
internal static class RawAmqp
{
    public static Task PublishJsonAsync(string json) =>
        PublishAsync(ScoringQueues.ScoreImagesJson, Encoding.UTF8.GetBytes(json), "application/json");

    public static async Task PublishAsync(string queue, byte[] body, string? contentType, IDictionary<string, object?>? headers = null)
    {
        await using IConnection connection = await ConnectAsync();
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = DeliveryModes.Persistent, Headers = headers };
        await channel.BasicPublishAsync(exchange: "", routingKey: queue, mandatory: true, properties, body);
    }

    /// <summary>Takes every message now in the queue (acknowledged, so they are gone); none if it does not exist.</summary>
    public static async Task<IReadOnlyList<AmqpMessage>> DrainAsync(string queue)
    {
        await using IConnection connection = await ConnectAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        var messages = new List<AmqpMessage>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } got)
            {
                var headers = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach ((string key, object? value) in got.BasicProperties.Headers ?? new Dictionary<string, object?>())
                {
                    headers[key] = value switch
                    {
                        byte[] text => Encoding.UTF8.GetString(text),
                        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                        _ => value?.ToString() ?? "",
                    };
                }

                messages.Add(new AmqpMessage(got.Body.ToArray(), headers));
            }
        }
        catch (OperationInterruptedException)
        {
            // The queue does not exist: nothing has ever been moved there.
        }

        return messages;
    }

    /// <summary>Messages ready in the queue, or 0 when it does not exist.</summary>
    public static async Task<uint> MessageCountAsync(string queue)
    {
        await using IConnection connection = await ConnectAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }

    public static async Task PurgeAsync(params string[] queues)
    {
        await using IConnection connection = await ConnectAsync();
        foreach (string queue in queues)
        {
            // A failed passive declare closes its channel: one channel per queue.
            await using IChannel channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueueDeclarePassiveAsync(queue);
                await channel.QueuePurgeAsync(queue);
            }
            catch (OperationInterruptedException)
            {
                // The queue does not exist yet: nothing to purge.
            }
        }
    }

    private static Task<IConnection> ConnectAsync() =>
        new ConnectionFactory { Uri = new Uri(LocalServices.RabbitMqUri!) }.CreateConnectionAsync();
}
