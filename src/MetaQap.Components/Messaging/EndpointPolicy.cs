using MassTransit;

namespace MetaQap.Components.Messaging;

/// <summary>
/// What every consumer's endpoint shares: poison messages (delivered too often) set aside with a count, and the
/// retry policy of <see cref="MessageRetry"/>. The scoring consumers' definitions add their own limits on top.
/// </summary>
public static class EndpointPolicy
{
    public static void Apply<T>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<T> consumer, IRegistrationContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(consumer);
        endpoint.UsePoisonMessagePolicy(context);
        consumer.UseMessageRetry(MessageRetry.Configure);
    }
}
