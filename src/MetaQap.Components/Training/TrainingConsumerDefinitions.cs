using MassTransit;
using MetaQap.Components.Messaging;
using MetaQap.Components.Registry;

namespace MetaQap.Components.Training;

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
        EndpointPolicy.Apply(endpointConfigurator, consumerConfigurator, context);
}

public sealed class CancelTrainingRunConsumerDefinition : ConsumerDefinition<CancelTrainingRunConsumer>
{
    public CancelTrainingRunConsumerDefinition() => EndpointName = TrainingQueues.CancelTrainingRun;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CancelTrainingRunConsumer> consumerConfigurator, IRegistrationContext context) =>
        EndpointPolicy.Apply(endpointConfigurator, consumerConfigurator, context);
}
