using MassTransit;
using MetaQap.Components.Messaging;

namespace MetaQap.Components.Registry;

public static class RegistryExtensions
{
    /// <summary>
    /// The model registry and its store (when <see cref="RegistryOptions.ModelStore"/> is set), shared by the scoring
    /// and training roles, and the consumer of <c>PromoteEnsemble</c>, which any worker with a registry serves.
    /// Register it after the job store: its tables come with the migrations.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapRegistry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RegistryOptions>()
            .BindConfiguration(RegistryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (!RegistryOptions.From(builder.Configuration).HasModelStore)
        {
            return builder;
        }

        builder.Services.AddSingleton<ModelStore>();
        builder.Services.AddSingleton<ModelRegistry>();
        return builder.AddMetaQapConsumers(bus => bus.AddConsumer<PromoteEnsembleConsumer, PromoteEnsembleConsumerDefinition>());
    }
}
