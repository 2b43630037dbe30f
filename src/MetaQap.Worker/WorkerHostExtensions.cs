using MetaQap.Worker.Jobs;
using MetaQap.Worker.Messaging;
using MetaQap.Worker.Scoring;
using MetaQap.Worker.Sources;
using MetaQap.Worker.Telemetry;

namespace MetaQap.Worker;

public static class WorkerHostExtensions
{
    /// <summary>
    /// The whole scoring worker. The order matters: hosted services start in registration order, so the model is
    /// loaded and the database migrated before the bus starts taking messages.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddMetaQapTelemetry()
            .AddMetaQapScoring()
            .AddMetaQapJobStore()
            .AddMetaQapSources()
            .AddMetaQapMessaging();
    }
}
