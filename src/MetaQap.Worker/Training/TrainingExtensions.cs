using MetaQap.Worker.Scoring;
using Microsoft.Extensions.Options;

namespace MetaQap.Worker.Training;

public static class TrainingExtensions
{
    /// <summary>
    /// The model registry (when <see cref="RegistryOptions.ModelStore"/> is set), the training role (runner, planner,
    /// metrics) when <see cref="WorkerRoles.Training"/> is on, and, for a scoring worker, the follower of the active
    /// ensemble. Registered after the job store, so migrations have run before the follower's first look.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapTraining(this IHostApplicationBuilder builder, WorkerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(roles);
        builder.Services.AddOptions<RegistryOptions>()
            .BindConfiguration(RegistryOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.HasModelStore || !roles.Training,
                $"The training role needs {RegistryOptions.SectionName}:ModelStore (a folder for runs, artifacts and ensembles).")
            .ValidateOnStart();
        RegistryOptions registry = builder.Configuration.GetSection(RegistryOptions.SectionName).Get<RegistryOptions>() ?? new();
        if (!registry.HasModelStore)
        {
            return builder;
        }

        builder.Services.AddSingleton<ModelStore>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<TrainingRegistry>();
        if (roles.Training)
        {
            builder.Services.AddOptions<TrainingRoleOptions>()
                .BindConfiguration(TrainingRoleOptions.SectionName)
                .ValidateDataAnnotations()
                .Validate(o => o.LeaseRenewal < o.LeaseDuration, $"{TrainingRoleOptions.SectionName}:LeaseRenewal must be shorter than LeaseDuration.")
                .ValidateOnStart();
            builder.Services.AddSingleton<TrainingPlanner>();
            builder.Services.AddSingleton<CalibrationPlanner>();
            builder.Services.AddSingleton<TrainingExecutor>();
            builder.Services.AddSingleton<TrainingEvents>();
            builder.Services.AddSingleton<TrainingMetrics>();
            builder.Services.AddSingleton<TrainingRunner>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingRunner>());
        }

        if (roles.Scoring && registry.FollowActiveEnsemble)
        {
            builder.Services.AddSingleton<ActiveEnsembleFollower>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ActiveEnsembleFollower>());
        }

        return builder;
    }

    /// <summary>Whether <see cref="AddMetaQapTraining"/> registered the follower (the messaging then adds its consumer).</summary>
    internal static bool FollowsPromotions(IConfiguration configuration, WorkerRoles roles)
    {
        RegistryOptions registry = configuration.GetSection(RegistryOptions.SectionName).Get<RegistryOptions>() ?? new();
        return roles.Scoring && registry.HasModelStore && registry.FollowActiveEnsemble;
    }

    internal static bool HasRegistry(IConfiguration configuration) =>
        (configuration.GetSection(RegistryOptions.SectionName).Get<RegistryOptions>() ?? new()).HasModelStore;

    /// <summary>Fails the build of a worker with no role at all, with the setting to change.</summary>
    internal static WorkerRoles RequireRole(WorkerRoles roles) =>
        roles.Scoring || roles.Training
            ? roles
            : throw new OptionsValidationException(WorkerRoles.SectionName, typeof(WorkerRoles),
                [$"{WorkerRoles.SectionName}: Scoring and Training are both off; this worker would do nothing."]);
}
