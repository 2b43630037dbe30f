using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MetaQap.Worker.Scoring;

public static class ScoringExtensions
{
    /// <summary>
    /// The scoring role: model options, the scorer factory (the ensemble in <see cref="ModelOptions.Path"/>
    /// unless a factory was registered before this call), the model loaded once at start, batching options, and
    /// the inference gate. The consumers are registered by <c>AddMetaQapMessaging</c>.
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
        builder.Services.AddSingleton<JobEvents>();
        builder.Services.AddSingleton<PendingExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PendingExpiry>());
        return builder;
    }
}
