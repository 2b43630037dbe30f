using MetaQap.Worker;
using MetaQap.Worker.Scoring;
using MetaQap.Worker.Telemetry;
using Microsoft.Extensions.Options;

// The scoring worker: configuration in appsettings.json / MetaQap__* environment variables (docs/worker.md).
try
{
    WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
    builder.AddMetaQapWorker();
    await using WebApplication app = builder.Build();
    app.MapMetaQapTelemetry();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is ModelLoadException or OptionsValidationException)
{
    // A configuration problem is an exit code and a sentence, not a crash dump.
    await Console.Error.WriteLineAsync($"metaqap-worker: cannot start: {e.Message}");
    return 1;
}
