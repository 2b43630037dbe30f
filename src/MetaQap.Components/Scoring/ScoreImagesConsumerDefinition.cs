using MassTransit;
using MetaQap.Components.Messaging;

namespace MetaQap.Components.Scoring;

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
        // Also reached through the plain-JSON endpoint's ConfigureConsumer, so both queues get the policy.
        EndpointPolicy.Apply(endpointConfigurator, consumerConfigurator, context);
    }
}
