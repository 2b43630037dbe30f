using System.Text.Json;
using MassTransit;
using MassTransit.Transports;
using MetaQap.Components.Telemetry;

namespace MetaQap.Components.Messaging;

/// <summary>
/// The dead-letter pipe of an endpoint: a message no consumer on the queue takes (a MassTransit envelope naming
/// another message type) moves to the <c>_skipped</c> queue as MassTransit would move it, but with a readable
/// <c>MT-Reason</c> naming the types it declared; it is counted as poison and logged.
/// </summary>
internal sealed class SkippedMessageFilter(string queue, WorkerMetrics metrics, ILogger logger) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!context.TryGetPayload(out IDeadLetterTransport? transport))
        {
            throw new TransportException(context.InputAddress, "The dead-letter transport is not available on the receive context.");
        }

        string reason = $"skipped: no consumer on {queue} takes message type {DeclaredTypes(context.Body)}";
        metrics.PoisonMessage(queue);
        logger.LogWarning("A message on {Queue} moved to {Queue}_skipped: {Reason}", queue, queue, reason);
        await transport.Send(context, reason);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("skippedMessage");

    /// <summary>The <c>messageType</c> list of a MassTransit JSON envelope (skipped messages are rare, so parsing again is fine).</summary>
    private static string DeclaredTypes(MessageBody body)
    {
        try
        {
            using JsonDocument envelope = JsonDocument.Parse(body.GetBytes());
            return envelope.RootElement.ValueKind == JsonValueKind.Object
                && envelope.RootElement.TryGetProperty("messageType", out JsonElement types) && types.ValueKind == JsonValueKind.Array
                ? string.Join(", ", types.EnumerateArray().Select(t => t.ToString()))
                : "(none declared)";
        }
        catch (JsonException)
        {
            return "(none declared)";
        }
    }
}
