using MetaQap.Components.Jobs;
using MetaQap.Components.Messaging;
using MetaQap.Components.Registry;
using MetaQap.Components.Scoring;
using MetaQap.Components.Sources;
using MetaQap.Components.Training;
using MetaQap.Worker.Telemetry;

namespace MetaQap.Worker;

public static class WorkerHostExtensions
{
    /// <summary>
    /// The whole worker, in the roles <c>MetaQap:Roles</c> switches on (scoring by default, training on request).
    /// The order matters: hosted services start in registration order, so the model is loaded, the database
    /// migrated and the active ensemble looked up before the bus (added last) starts taking messages.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        WorkerRoles roles = WorkerRoles.Required(builder.Configuration);
        builder.AddMetaQapTelemetry();
        if (roles.Scoring)
        {
            builder.AddMetaQapScoring();
        }

        builder.AddMetaQapJobStore()
            .AddMetaQapSources()
            .AddMetaQapRegistry();
        if (roles.Scoring)
        {
            builder.AddMetaQapActiveEnsembleFollower();
        }

        if (roles.Training)
        {
            builder.AddMetaQapTraining();
        }

        return builder.AddMetaQapMessaging();
    }
}
