using MassTransit;

namespace MetaQap.Worker.Scoring;

/// <summary>Endpoint policy of <see cref="ScoreImagesConsumer"/>: the <c>score-images</c> queue, retries for transient errors.</summary>
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
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Intervals(200, 1000, 5000);
            retry.Ignore<InvalidScoringRequestException>();
        });
    }
}
