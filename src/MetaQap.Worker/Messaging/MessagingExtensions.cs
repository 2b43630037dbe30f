using MassTransit;
using MetaQap.Worker.Scoring;
using MetaQap.Worker.Training;
using Microsoft.Extensions.Options;

namespace MetaQap.Worker.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ: the consumers of the roles switched on, on their definitions' queues. Scoring adds the
    /// raw JSON queue for non-.NET producers (<see cref="ScoringQueues.ScoreImagesJson"/>) and, when it follows the
    /// registry, a temporary queue for <c>EnsemblePromoted</c>. Start-up waits until the broker is connected and
    /// fails after <see cref="RabbitMqOptions.StartTimeout"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapMessaging(this IHostApplicationBuilder builder, WorkerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.HasValidUri(), $"{RabbitMqOptions.SectionName}:Uri must be an amqp:// or amqps:// URI.")
            .ValidateOnStart();

        builder.Services.AddMassTransit(bus =>
        {
            if (roles.Scoring)
            {
                bus.AddConsumer<ScoreImagesConsumer, ScoreImagesConsumerDefinition>();
                bus.AddConsumer<ScoreImageBatchConsumer, ScoreImageBatchConsumerDefinition>();
            }

            if (TrainingExtensions.FollowsPromotions(builder.Configuration, roles))
            {
                bus.AddConsumer<EnsemblePromotedConsumer>().Endpoint(e => e.Temporary = true);
            }

            if (roles.Training && TrainingExtensions.HasRegistry(builder.Configuration))
            {
                bus.AddConsumer<TrainingCommandsConsumer, TrainingCommandsConsumerDefinition>();
                bus.AddConsumer<CancelTrainingRunConsumer, CancelTrainingRunConsumerDefinition>();
            }

            if (TrainingExtensions.HasRegistry(builder.Configuration))
            {
                bus.AddConsumer<PromoteEnsembleConsumer, PromoteEnsembleConsumerDefinition>();
            }
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(context.GetRequiredService<IOptions<RabbitMqOptions>>().Value);
                // MassTransit's System.Diagnostics.Metrics meter; WorkerMetrics exports it on /metrics.
                rabbit.UseInstrumentation(serviceName: "metaqap-worker");
                rabbit.ConfigureEndpoints(context);

                if (!roles.Scoring)
                {
                    return;
                }

                // Plain JSON bodies (content type application/json, or none) deserialised as ScoreImages. The queue
                // is not bound to the ScoreImages exchange, so a MassTransit publish is not consumed twice.
                rabbit.ReceiveEndpoint(ScoringQueues.ScoreImagesJson, endpoint =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                    endpoint.ConfigureConsumer<ScoreImagesConsumer>(context);
                });
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<RabbitMqOptions>>((host, rabbit) =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = rabbit.Value.StartTimeout;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }
}
