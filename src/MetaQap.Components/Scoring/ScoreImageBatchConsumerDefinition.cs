using MassTransit;
using MetaQap.Components.Messaging;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Endpoint policy of <see cref="ScoreImageBatchConsumer"/>: batches of up to MaxBatchSize or MaxBatchDelay, and
/// prefetch = concurrency limit = MaxBatchSize × ConcurrentBatches, so the next batch can fill while the model
/// works on the current one.
/// </summary>
public sealed class ScoreImageBatchConsumerDefinition : ConsumerDefinition<ScoreImageBatchConsumer>
{
    private readonly BatchingOptions _options;

    public ScoreImageBatchConsumerDefinition(IOptions<BatchingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        EndpointName = ScoringQueues.ScoreImageItems;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScoreImageBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        int capacity = _options.MaxBatchSize * _options.ConcurrentBatches;
        endpointConfigurator.PrefetchCount = capacity;
        endpointConfigurator.ConcurrentMessageLimit = capacity;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(_options.MaxBatchSize)
            .SetTimeLimit(_options.MaxBatchDelay)
            .SetConcurrencyLimit(_options.ConcurrentBatches));
        // A failed batch (database or broker unreachable) is retried whole; stored outcomes are not redone.
        EndpointPolicy.Apply(endpointConfigurator, consumerConfigurator, context);
    }
}
