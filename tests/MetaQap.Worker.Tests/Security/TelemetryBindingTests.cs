using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using MetaQap.Worker.Telemetry;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.Security;

/// <summary>/metrics and /healthz are reachable from this machine only, unless a deployment says otherwise.</summary>
[Collection(ServicesCollection.Name)]
public sealed class TelemetryBindingTests
{
    [Fact]
    public void Telemetry_binds_loopback_by_default_in_the_options_and_the_shipped_settings()
    {
        using JsonDocument shipped = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));

        Assert.Equal("127.0.0.1", new TelemetryOptions().BindAddress);
        Assert.Equal("127.0.0.1", shipped.RootElement.GetProperty("MetaQap").GetProperty("Telemetry").GetProperty("BindAddress").GetString());
    }

    [SkippableFact]
    public async Task A_worker_started_without_a_bind_address_cannot_be_reached_on_the_machines_other_addresses()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        int port = worker.TelemetryAddress.Port;
        IPAddress[] others = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToArray();

        Assert.Equal("127.0.0.1", worker.TelemetryAddress.Host);
        using (var local = new TcpClient())
        {
            await local.ConnectAsync(IPAddress.Loopback, port);
        }

        Skip.If(others.Length == 0, "This machine has no address but loopback to try from.");
        foreach (IPAddress address in others)
        {
            using var client = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(address, port));
        }
    }
}
