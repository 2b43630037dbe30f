using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MetaQap.Worker.Telemetry;

/// <summary>Where /metrics (Prometheus) and /healthz are served.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "MetaQap:Telemetry";

    /// <summary>Loopback by default; a container sets 0.0.0.0 so the kubelet and Prometheus can reach it.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 9464;

    internal bool HasValidAddress() => IPAddress.TryParse(BindAddress, out _);
}
