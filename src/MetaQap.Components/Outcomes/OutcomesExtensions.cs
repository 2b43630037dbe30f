using MetaQap.Components.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MetaQap.Components.Outcomes;

public static class OutcomesExtensions
{
    /// <summary>The one outcome path (<see cref="JobOutcomes"/>) that every scoring consumer and the expiry sweep use.</summary>
    public static IHostApplicationBuilder AddMetaQapOutcomes(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<WorkerMetrics>();
        builder.Services.TryAddSingleton<JobOutcomes>();
        return builder;
    }
}
