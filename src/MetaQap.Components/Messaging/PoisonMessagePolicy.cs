using MassTransit;
using MassTransit.Middleware;
using MetaQap.Components.Telemetry;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Messaging;

/// <summary>
/// What every receive endpoint of the worker does with a message it cannot use: refuse bodies over
/// <see cref="RabbitMqOptions.MaxMessageBytes"/>, and count and label what goes to <c>&lt;queue&gt;_error</c>
/// (MassTransit's default error transport, kept: the fault event and the move) and <c>&lt;queue&gt;_skipped</c>.
/// The endpoint keeps consuming; nothing is requeued in a loop.
/// </summary>
public static class PoisonMessagePolicy
{
    /// <summary>Header on a message in an <c>_error</c> queue: why it is there, in one line (docs/reliability.md).</summary>
    public const string ReasonHeader = "MetaQap-Poison-Reason";

    public static void UsePoisonMessagePolicy(this IReceiveEndpointConfigurator endpoint, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(services);
        string queue = QueueName(endpoint.InputAddress);
        var metrics = services.GetRequiredService<WorkerMetrics>();
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PoisonMessagePolicy).FullName!);
        long maxBytes = services.GetRequiredService<IOptions<RabbitMqOptions>>().Value.MaxMessageBytes;
        metrics.TrackPoisonQueue(queue);

        endpoint.UseFilter(new MessageSizeFilter(maxBytes));
        // A configured error (dead-letter) pipe replaces MassTransit's default, so its default filters are repeated.
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new PoisonMessageFilter(queue, metrics, logger));
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
        endpoint.ConfigureDeadLetter(skipped => skipped.UseFilter(new SkippedMessageFilter(queue, metrics, logger)));
    }

    /// <summary>The queue of an endpoint address (<c>rabbitmq://host/vhost/queue</c>): its last path segment.</summary>
    private static string QueueName(Uri inputAddress) =>
        inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is [.., var last] ? last : inputAddress.AbsolutePath;
}
