using MassTransit;
using MetaQap.Worker.Messaging;
using MetaQap.Worker.Scoring;

namespace MetaQap.Worker.Training;

/// <summary>
/// Endpoint policy of the training role's consumers: their queue, the poison-message policy, and the scoring role's
/// retry (a database or broker outage is waited out; a refused request is an outcome, not an exception).
/// </summary>
public sealed class TrainingCommandsConsumerDefinition : ConsumerDefinition<TrainingCommandsConsumer>
{
    public TrainingCommandsConsumerDefinition()
    {
        EndpointName = TrainingQueues.TrainingCommands;
        // Receiving only plans and records; a couple at once is plenty and keeps dataset reads off the training cores.
        ConcurrentMessageLimit = 2;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TrainingCommandsConsumer> consumerConfigurator, IRegistrationContext context) =>
        TrainingEndpoints.Configure(endpointConfigurator, consumerConfigurator, context);
}

public sealed class CancelTrainingRunConsumerDefinition : ConsumerDefinition<CancelTrainingRunConsumer>
{
    public CancelTrainingRunConsumerDefinition() => EndpointName = TrainingQueues.CancelTrainingRun;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CancelTrainingRunConsumer> consumerConfigurator, IRegistrationContext context) =>
        TrainingEndpoints.Configure(endpointConfigurator, consumerConfigurator, context);
}

public sealed class PromoteEnsembleConsumerDefinition : ConsumerDefinition<PromoteEnsembleConsumer>
{
    public PromoteEnsembleConsumerDefinition()
    {
        EndpointName = TrainingQueues.PromoteEnsemble;
        // One at a time: two promotions racing would announce in an order that need not match the registry's.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PromoteEnsembleConsumer> consumerConfigurator, IRegistrationContext context) =>
        TrainingEndpoints.Configure(endpointConfigurator, consumerConfigurator, context);
}

internal static class TrainingEndpoints
{
    public static void Configure<T>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<T> consumer, IRegistrationContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(consumer);
        endpoint.UsePoisonMessagePolicy(context);
        consumer.UseMessageRetry(ScoringRetry.Configure);
    }
}
