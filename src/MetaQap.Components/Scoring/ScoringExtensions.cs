using MassTransit;
using MetaQap.Components.Messaging;
using MetaQap.Components.Outcomes;
using MetaQap.Components.Registry;
using MetaQap.Components.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MetaQap.Components.Scoring;

public static class ScoringExtensions
{
    /// <summary>
    /// The scoring role: model options, the scorer factory (the ensemble in <see cref="ModelOptions.Path"/>
    /// unless a factory was registered before this call), the model loaded once at start, batching options, the
    /// inference gate, the pending-expiry sweep, and the consumers of <c>ScoreImages</c> (its MassTransit queue and
    /// the raw JSON one) and of the work items. Register it first: hosted services start in registration order, and
    /// a model that cannot be loaded should stop the start-up before any dependency is contacted.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapScoring(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ModelOptions>()
            .BindConfiguration(ModelOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<BatchingOptions>()
            .BindConfiguration(BatchingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<WorkerMetrics>();
        builder.Services.TryAddSingleton<IQualityScorerFactory, EnsembleScorerFactory>();
        builder.Services.AddSingleton<LoadedModel>();
        // Hosted services start in registration order: the model is loaded before the bus takes any message.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LoadedModel>());
        builder.Services.AddHealthChecks().AddCheck<LoadedModel>("model", tags: ["ready"]);
        builder.Services.AddOptions<PendingExpiryOptions>()
            .BindConfiguration(PendingExpiryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<BatchInference>();
        builder.Services.AddSingleton<JobManifestReader>();
        builder.AddMetaQapOutcomes();
        builder.Services.AddSingleton<PendingExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PendingExpiry>());

        return builder.AddMetaQapConsumers(
            bus =>
            {
                bus.AddConsumer<ScoreImagesConsumer, ScoreImagesConsumerDefinition>();
                bus.AddConsumer<ScoreImageBatchConsumer, ScoreImageBatchConsumerDefinition>();
            },
            (context, rabbit) =>
                // Plain JSON bodies (content type application/json, or none) deserialised as ScoreImages. The queue
                // is not bound to the ScoreImages exchange, so a MassTransit publish is not consumed twice.
                rabbit.ReceiveEndpoint(ScoringQueues.ScoreImagesJson, endpoint =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                    endpoint.ConfigureConsumer<ScoreImagesConsumer>(context);
                }));
    }

    /// <summary>
    /// With a registry that scoring follows (<see cref="RegistryOptions.FollowActiveEnsemble"/>): the follower that
    /// loads the active ensemble at start and switches to each promoted one, and its <c>EnsemblePromoted</c> consumer
    /// on a temporary queue. Register it after the job store and the registry: its first look needs the migrated
    /// tables, and it happens before the bus takes messages.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapActiveEnsembleFollower(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        RegistryOptions registry = RegistryOptions.From(builder.Configuration);
        if (!registry.HasModelStore || !registry.FollowActiveEnsemble)
        {
            return builder;
        }

        builder.Services.AddSingleton<ActiveEnsembleFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ActiveEnsembleFollower>());
        return builder.AddMetaQapConsumers(bus => bus.AddConsumer<EnsemblePromotedConsumer>().Endpoint(e => e.Temporary = true));
    }
}
