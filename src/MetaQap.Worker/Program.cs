using MetaQap.Components.Scoring;
using MetaQap.Worker;
using MetaQap.Worker.Telemetry;
using Microsoft.Extensions.Options;

// The scoring worker: configuration in appsettings.json / MetaQap__* environment variables (docs/worker.md).
try
{
    WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
    builder.AddMetaQapWorker();
    await using WebApplication app = builder.Build();
    app.MapMetaQapTelemetry();
    try
    {
        await app.StartAsync();
    }
#pragma warning disable CA1031 // Whatever stops start-up (a refused login, a dead broker, a failed migration) ends the same way.
    catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
    {
        // A dependency that cannot be reached or logged in to is an exit code and a sentence, not a crash dump
        // (exit 134); the log above it has the details.
        await Console.Error.WriteLineAsync($"metaqap-worker: cannot start: {StartFailure.Describe(e)}");
        return 1;
    }

    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is ModelLoadException or OptionsValidationException)
{
    // A configuration problem is an exit code and a sentence, not a crash dump.
    await Console.Error.WriteLineAsync($"metaqap-worker: cannot start: {e.Message}");
    return 1;
}
