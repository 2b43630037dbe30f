using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaQap.Worker.Tests.Telemetry;

[Collection(ServicesCollection.Name)]
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Healthz_covers_the_model_the_database_and_the_bus()
    {
        using var root = new TempFolder();
        Dictionary<string, string?> settings = WorkerHost.Settings(root.Path);
        // Never contacted: the registrations are read, nothing is started.
        settings["MetaQap:RabbitMq:Uri"] = "amqp://nobody:nothing@127.0.0.1:1/";
        settings["MetaQap:Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none";
        await using WebApplication app = WorkerHost.Build(settings);

        string[] ready = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Where(r => r.Tags.Contains("ready")).Select(r => r.Name).ToArray();

        Assert.Contains("model", ready);
        Assert.Contains("postgresql", ready);
        Assert.Contains(ready, name => name.StartsWith("masstransit", StringComparison.Ordinal));
    }
}
