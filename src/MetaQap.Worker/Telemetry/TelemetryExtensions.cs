using System.Net;
using MetaQap.Components.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MetaQap.Worker.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Metrics, health checks, and Kestrel listening only on the telemetry address and port.</summary>
    public static IHostApplicationBuilder AddMetaQapTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.HasValidAddress(), $"{TelemetryOptions.SectionName}:BindAddress must be an IP address.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<WorkerMetrics>();
        builder.Services.AddHealthChecks();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<TelemetryOptions>>((kestrel, telemetry) =>
            kestrel.Listen(IPAddress.Parse(telemetry.Value.BindAddress), telemetry.Value.Port));
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> (Prometheus text format) and <c>/healthz</c> (200 when the model is loaded and PostgreSQL
    /// and RabbitMQ are reachable, 503 otherwise).
    /// </summary>
    public static IEndpointRouteBuilder MapMetaQapTelemetry(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<WorkerMetrics>().Registry);
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            // MassTransit reports a bus whose broker connection is gone as Degraded, which ASP.NET answers with 200;
            // for a readiness probe that is "not ready" (DependencyOutageTests).
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return endpoints;
    }
}
