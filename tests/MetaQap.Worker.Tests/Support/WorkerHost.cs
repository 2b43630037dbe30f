using MassTransit;
using MetaQap.Components.Jobs;
using MetaQap.Components.Scoring;
using MetaQap.Components.Sources;
using MetaQap.Worker.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// The real worker (the same AddMetaQapWorker as Program.cs) in the test process, against the local services,
/// with a test scorer. Starting one purges the worker's queues first, so it sees only the work of its own test.
/// </summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WorkerHost(WebApplication app)
    {
        _app = app;
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        TelemetryAddress = new Uri(address);
    }

    public IServiceProvider Services => _app.Services;

    public JobStore Store => _app.Services.GetRequiredService<JobStore>();

    public IBus Bus => _app.Services.GetRequiredService<IBus>();

    public Uri TelemetryAddress { get; }

    /// <param name="services">Last-registered overrides, e.g. a source double.</param>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, IQualityScorerFactory? scorer = null,
        Action<IServiceCollection>? services = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(scorer ?? new TestScorerFactory());
        builder.AddMetaQapWorker();
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        app.MapMetaQapTelemetry();
        return app;
    }

    /// <summary>Settings every test host shares: the local services and one file root.</summary>
    public static Dictionary<string, string?> Settings(string fileRoot, int telemetryPort = 0) => new()
    {
        ["MetaQap:RabbitMq:Uri"] = LocalServices.RabbitMqUri,
        ["MetaQap:Database:ConnectionString"] = LocalServices.PostgresConnectionString,
        ["MetaQap:Model:Path"] = "(test scorer)",
        ["MetaQap:Sources:FileRoots:0"] = fileRoot,
        // 127.0.0.1 is allowed by name so that what refuses it is the SSRF check, not the allow-list.
        ["MetaQap:Sources:AllowedHosts:0"] = "127.0.0.1",
        ["MetaQap:Sources:AllowedHosts:1"] = "localhost",
        ["MetaQap:Sources:AllowPrivateNetworks"] = "false",
        ["MetaQap:Telemetry:Port"] = telemetryPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<WorkerHost> StartAsync(IReadOnlyDictionary<string, string?> settings,
        IQualityScorerFactory? scorer = null, bool purgeQueues = true, Action<IServiceCollection>? services = null)
    {
        if (purgeQueues)
        {
            await PurgeQueuesAsync();
        }

        // MassTransit keeps its log context in an AsyncLocal: a host built on this flow after another was disposed
        // would inherit the disposed host's logger factory. Each host therefore starts on a clean execution context.
        Task<WebApplication> starting;
        using (ExecutionContext.SuppressFlow())
        {
            starting = Task.Run(async () =>
            {
                WebApplication app = Build(settings, scorer, services);
                await app.StartAsync();
                return app;
            });
        }

        return new WorkerHost(await starting);
    }

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task PurgeQueuesAsync() =>
        RawAmqp.PurgeAsync(ScoringQueues.ScoreImages, ScoringQueues.ScoreImagesJson, ScoringQueues.ScoreImageItems);
}
