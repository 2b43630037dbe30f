using MetaQap.Worker.Jobs;
using MetaQap.Worker.Messaging;
using MetaQap.Worker.Scoring;
using MetaQap.Worker.Sources;
using MetaQap.Worker.Telemetry;
using MetaQap.Worker.Training;

namespace MetaQap.Worker;

public static class WorkerHostExtensions
{
    /// <summary>
    /// The whole worker, in the roles <c>MetaQap:Roles</c> switches on (scoring by default, training on request).
    /// The order matters: hosted services start in registration order, so the model is loaded, the database migrated
    /// and the active ensemble looked up before the bus starts taking messages.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        WorkerRoles roles = TrainingExtensions.RequireRole(WorkerRoles.From(builder.Configuration));
        builder.AddMetaQapTelemetry();
        if (roles.Scoring)
        {
            builder.AddMetaQapScoring();
        }

        return builder
            .AddMetaQapJobStore()
            .AddMetaQapSources()
            .AddMetaQapTraining(roles)
            .AddMetaQapMessaging(roles);
    }
}
