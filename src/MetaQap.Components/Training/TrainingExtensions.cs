using MassTransit;
using MetaQap.Components.Messaging;
using MetaQap.Components.Registry;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Training;

public static class TrainingExtensions
{
    /// <summary>
    /// The training role: the run registry, planners, executor, runner, metrics and the consumers of the training
    /// commands and of <c>CancelTrainingRun</c>. It needs the model registry (<see cref="RegistryExtensions.AddMetaQapRegistry"/>
    /// with a model store): without one, start-up fails with the setting to add.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapTraining(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RegistryOptions>()
            .Validate(o => o.HasModelStore,
                $"The training role needs {RegistryOptions.SectionName}:ModelStore (a folder for runs, artifacts and ensembles).")
            .ValidateOnStart();
        if (!RegistryOptions.From(builder.Configuration).HasModelStore)
        {
            return builder;
        }

        builder.Services.AddOptions<TrainingRoleOptions>()
            .BindConfiguration(TrainingRoleOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.LeaseRenewal < o.LeaseDuration, $"{TrainingRoleOptions.SectionName}:LeaseRenewal must be shorter than LeaseDuration.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TrainingRegistry>();
        builder.Services.AddSingleton<TrainingPlanner>();
        builder.Services.AddSingleton<CalibrationPlanner>();
        builder.Services.AddSingleton<TrainingExecutor>();
        builder.Services.AddSingleton<TrainingEvents>();
        builder.Services.AddSingleton<TrainingMetrics>();
        builder.Services.AddSingleton<TrainingRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingRunner>());
        return builder.AddMetaQapConsumers(bus =>
        {
            bus.AddConsumer<TrainingCommandsConsumer, TrainingCommandsConsumerDefinition>();
            bus.AddConsumer<CancelTrainingRunConsumer, CancelTrainingRunConsumerDefinition>();
        });
    }
}
