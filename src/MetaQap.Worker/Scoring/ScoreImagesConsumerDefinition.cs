using MassTransit;
using MetaQap.Worker.Messaging;

namespace MetaQap.Worker.Scoring;

/// <summary>
/// Endpoint policy of <see cref="ScoreImagesConsumer"/>: the <c>score-images</c> queue, the poison-message policy,
/// retries for everything but an invalid message.
/// </summary>
public sealed class ScoreImagesConsumerDefinition : ConsumerDefinition<ScoreImagesConsumer>
{
    public ScoreImagesConsumerDefinition()
    {
        EndpointName = ScoringQueues.ScoreImages;
        // Recording is a few statements; a handful at once keeps fan-out quick without crowding the pool.
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScoreImagesConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        // Also reached through the plain-JSON endpoint's ConfigureConsumer, so both queues get the policy.
        endpointConfigurator.UsePoisonMessagePolicy(context);
        consumerConfigurator.UseMessageRetry(ScoringRetry.Configure);
    }
}
